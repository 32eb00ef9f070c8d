using System.Diagnostics;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>startup</c>: per model, three fresh runtimes in one process, side by side:
/// <list type="number">
/// <item>load and warm up with tuning (the process is cold: .NET JIT included);</item>
/// <item>build a table from its tuned entries, write it to a temporary file, read it back, load a
/// fresh runtime with it and warm up (no tuning), then serve ten requests of varied lengths:
/// the first against the median of the other nine, and against the same first request served
/// again three times at the end (median), which compares equal work;</item>
/// <item>the warmup of 2 again on fresh runtimes: compiling one kernel at a time, and with the
/// driver's module loads concurrent too (2 compiles on all cores but loads modules one at a time);</item>
/// <item>load and warm up with tuning again, now in a warm process, as the fair comparison for 2.</item>
/// </list>
/// The first request also reports the .NET JIT work and device allocations it did, against the
/// sum over the other requests. On CUDA the driver caches JIT-compiled PTX on disk: set
/// <c>CUDA_CACHE_DISABLE=1</c> to measure every warmup with a cold driver cache.
/// </summary>
internal sealed class StartupBench(BenchContext context)
{
    /// <summary>Runs every model.</summary>
    public void Run()
    {
        foreach (var model in context.Settings.Models)
            RunModel(model);
    }

    private void RunModel(string model)
    {
        var settings = context.Settings;
        WarmupReport coldTuning, tableWarmup, warmTuning;
        TimeSpan coldLoad, tableLoad;
        TuningTable table;
        string device;

        using (var cold = Mamba2Runtime.Load(model, settings.Device, settings.Tuner))
        {
            device = cold.Device.Signature.Name;
            coldLoad = cold.LoadTime;
            coldTuning = cold.Warmup();
            table = BuildTable(cold);
        }
        context.Progress($"startup {model}: load {Ms(coldLoad):F0} ms, warmup with tuning (cold process) {Ms(coldTuning.Duration):F0} ms, {table.Entries.Count} table entries");

        var path = Path.Combine(Path.GetTempPath(), $"warmgate-bench-{Guid.NewGuid():N}.json");
        int rejected, compileThreads;
        double firstMs;
        ServeResult served;
        WarmupReport serialWarmup, concurrentLoadsWarmup;
        TimeSpan compileSum, loadSum;
        try
        {
            TuningTableWriter.WriteFile(table, path);
            using (var runtime = Mamba2Runtime.Load(model, settings.Device, settings.Tuner))
            {
                tableLoad = runtime.LoadTime;
                compileThreads = runtime.WarmupCompileConcurrency;
                rejected = runtime.UseTables([TuningTableReader.ReadFile(path)]).Rejected.Count;
                tableWarmup = runtime.Warmup();
                (compileSum, loadSum) = (runtime.Registry.CompileTime, runtime.Registry.LoadTime);
                served = Serve(runtime);
            }
            // The same warmup compiling one kernel at a time, and with module loads concurrent too.
            serialWarmup = WarmUpWithTable(model, path, concurrency: 1, serializeLoads: true);
            concurrentLoadsWarmup = WarmUpWithTable(model, path, compileThreads, serializeLoads: false);
        }
        finally
        {
            File.Delete(path);
        }
        context.Progress(
            $"startup {model}: warmup with table: {Ms(tableWarmup.Duration):F0} ms compiling on {compileThreads} threads (module loads serialized), " +
            $"{Ms(serialWarmup.Duration):F0} ms on one thread, {Ms(concurrentLoadsWarmup.Duration):F0} ms with concurrent module loads; " +
            $"summed over its compilations: ILGPU {Ms(compileSum):F0} ms, module loads {Ms(loadSum):F0} ms");
        var steady = served.Steady;
        firstMs = served.FirstMs;
        context.Progress($"startup {model}: warmup with table {Ms(tableWarmup.Duration):F0} ms; first request {firstMs:F2} ms, steady median {steady.MedianUs / 1000:F2} ms, the same first request again {served.FirstRepeatMs:F2} ms");
        context.Progress($"startup {model}: first request JIT-compiled {served.First.JitMethods} methods ({served.First.JitMs:F2} ms on the request thread), {served.First.Collections} GCs, allocated {served.First.DeviceAllocations} device buffers; the other requests together {served.Rest.JitMethods} methods, {served.Rest.Collections} GCs, {served.Rest.DeviceAllocations} buffers");

        using (var warm = Mamba2Runtime.Load(model, settings.Device, settings.Tuner))
            warmTuning = warm.Warmup();
        context.Progress($"startup {model}: warmup with tuning (warm process) {Ms(warmTuning.Duration):F0} ms");

        var steadyMs = steady.MedianUs / 1000;
        var line = new BenchLine(BenchKinds.Startup, device)
            .Add("model", model)
            .Add("load_ms", Ms(coldLoad))
            .Add("warmup_tuning_ms", Ms(warmTuning.Duration))
            .Add("warmup_tuning_compiles", warmTuning.Compilations)
            .Add("warmup_tuning_tunes", warmTuning.TuningRuns)
            .Add("warmup_tuning_cold_ms", Ms(coldTuning.Duration))
            .Add("warmup_tuning_cold_compiles", coldTuning.Compilations)
            .Add("warmup_tuning_cold_tunes", coldTuning.TuningRuns)
            .Add("table_entries", table.Entries.Count)
            .Add("table_rejected", rejected)
            .Add("load_table_ms", Ms(tableLoad))
            .Add("warmup_table_ms", Ms(tableWarmup.Duration))
            .Add("warmup_table_compiles", tableWarmup.Compilations)
            .Add("warmup_table_tunes", tableWarmup.TuningRuns)
            .Add("warmup_speedup", Ms(warmTuning.Duration) / Ms(tableWarmup.Duration))
            .Add("warmup_table_compile_threads", compileThreads)
            .Add("warmup_table_ilgpu_compile_sum_ms", Ms(compileSum))
            .Add("warmup_table_module_load_sum_ms", Ms(loadSum))
            .Add("warmup_table_serial_ms", Ms(serialWarmup.Duration))
            .Add("warmup_table_serial_compiles", serialWarmup.Compilations)
            .Add("warmup_table_concurrent_loads_ms", Ms(concurrentLoadsWarmup.Duration))
            .Add("warmup_table_concurrent_loads_compiles", concurrentLoadsWarmup.Compilations)
            .Add("warmup_speedup_serial", Ms(warmTuning.Duration) / Ms(serialWarmup.Duration))
            .Add("warmup_speedup_concurrent_loads", Ms(warmTuning.Duration) / Ms(concurrentLoadsWarmup.Duration))
            .Add("requests", settings.RequestLengths.Count)
            .Add("request_lengths", string.Join(",", settings.RequestLengths))
            .Add("request_new_tokens", settings.RequestNewTokens)
            .Add("first_request_ms", firstMs)
            .Add("steady_median_ms", steadyMs)
            .Add("steady_p10_ms", steady.P10Us / 1000)
            .Add("steady_p90_ms", steady.P90Us / 1000)
            .Add("first_over_steady", firstMs / steadyMs)
            .Add("first_repeat_ms", served.FirstRepeatMs)
            .Add("first_over_repeat", firstMs / served.FirstRepeatMs)
            .Add("first_request_jit_methods", served.First.JitMethods)
            .Add("first_request_jit_ms", served.First.JitMs)
            .Add("first_request_gcs", served.First.Collections)
            .Add("first_request_device_allocations", served.First.DeviceAllocations)
            .Add("steady_jit_methods", served.Rest.JitMethods)
            .Add("steady_gcs", served.Rest.Collections)
            .Add("steady_device_allocations", served.Rest.DeviceAllocations)
            .Add("tiered_compilation", TieredCompilationSetting())
            .Add("post_warmup_compiles_or_tunes", served.PostWarmupWork);
        context.Sink.Write(line);
    }

    /// <summary>A fresh runtime warmed up with the table at <paramref name="path"/>, compiling on <paramref name="concurrency"/> threads.</summary>
    private WarmupReport WarmUpWithTable(string model, string path, int concurrency, bool serializeLoads)
    {
        var settings = context.Settings;
        using var runtime = Mamba2Runtime.Load(model, settings.Device, settings.Tuner);
        runtime.WarmupCompileConcurrency = concurrency;
        runtime.Registry.SerializeModuleLoads = serializeLoads;
        runtime.UseTables([TuningTableReader.ReadFile(path)]);
        return runtime.Warmup();
    }

    /// <summary>A table of everything the runtime tuned, for its device.</summary>
    internal static TuningTable BuildTable(Mamba2Runtime runtime)
    {
        var builder = new TuningTableBuilder(runtime.Device.Signature);
        foreach (var entry in runtime.Tuner.Tuned) builder.Set(entry);
        return builder.Build();
    }

    /// <summary>
    /// The requests after warmup, one at a time: a prefill of the prompt and greedy decode steps.
    /// Returns the first one's time, the others' stats, what the first and the others cost besides
    /// kernels (.NET JIT compilations, device allocations), and how many compiles or tunes they caused.
    /// </summary>
    private ServeResult Serve(Mamba2Runtime runtime)
    {
        var settings = context.Settings;
        var work = 0;
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name && e.IsCompileOrTune) Interlocked.Increment(ref work);
        });
        var random = new Random(99);
        var lengths = settings.RequestLengths;
        var newTokens = settings.RequestNewTokens;
        var times = new double[lengths.Count];
        int[][] firstBatch = [];
        HostCost first = default, rest = default;
        // The bench's own code is JIT-compiled here, not inside the first request's window.
        _ = HostCost.Probe.Start(runtime).Stop() + default(HostCost);
        _ = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp()).TotalMicroseconds;
        for (var i = 0; i < times.Length; i++)
        {
            int[][] batch = [Enumerable.Range(0, lengths[i]).Select(_ => random.Next(runtime.Config.VocabSize)).ToArray()];
            if (i == 0) firstBatch = batch;
            var probe = HostCost.Probe.Start(runtime);
            var start = Stopwatch.GetTimestamp();
            runtime.Generate(batch, newTokens);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var cost = probe.Stop();
            if (i == 0) first = cost;
            else rest += cost;
        }
        var repeats = new double[RepeatsOfFirst];
        for (var r = 0; r < repeats.Length; r++)
        {
            var start = Stopwatch.GetTimestamp();
            runtime.Generate(firstBatch, newTokens);
            repeats[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return new ServeResult(times[0] / 1000, TimingStats.Of(times.Skip(1).ToArray()), TimingStats.Of(repeats).MedianUs / 1000, first, rest, work);
    }

    /// <summary>How often the first request is served again at the end, as its equal-work baseline.</summary>
    private const int RepeatsOfFirst = 3;

    /// <summary>"default", or the value of <c>DOTNET_TieredCompilation</c> / <c>DOTNET_TC_QuickJit</c> when set.</summary>
    private static string TieredCompilationSetting()
    {
        var tiered = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation");
        var quick = Environment.GetEnvironmentVariable("DOTNET_TC_QuickJit");
        return tiered is null && quick is null ? "default" : $"TieredCompilation={tiered ?? "-"},TC_QuickJit={quick ?? "-"}";
    }

    private sealed record ServeResult(double FirstMs, TimingStats Steady, double FirstRepeatMs, HostCost First, HostCost Rest, int PostWarmupWork);

    /// <summary>
    /// What requests cost besides kernels: methods the .NET JIT compiled (any thread: tier-1
    /// recompilations run in the background), JIT time on the request thread, garbage collections
    /// (any generation), device buffers allocated.
    /// </summary>
    private readonly record struct HostCost(long JitMethods, double JitMs, int Collections, long DeviceAllocations)
    {
        public static HostCost operator +(HostCost a, HostCost b) =>
            new(a.JitMethods + b.JitMethods, a.JitMs + b.JitMs, a.Collections + b.Collections, a.DeviceAllocations + b.DeviceAllocations);

        public readonly record struct Probe(Mamba2Runtime Runtime, long Methods, TimeSpan Jit, int Collections, long Allocations)
        {
            public static Probe Start(Mamba2Runtime runtime) => new(
                runtime, System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(currentThread: true),
                GC.CollectionCount(0), runtime.DeviceBufferAllocations);

            // Gen-0 counts include the collections of every higher generation.
            public HostCost Stop() => new(
                System.Runtime.JitInfo.GetCompiledMethodCount() - Methods,
                (System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - Jit).TotalMilliseconds,
                GC.CollectionCount(0) - Collections,
                Runtime.DeviceBufferAllocations - Allocations);
        }
    }

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;
}
