using WarmGate.Kernels.IO;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Commands;

/// <summary>
/// <c>warmgate check</c>, the main job: load, warm up, serve requests of varied shapes, print the
/// timeline and the post-load counts; exit 1 if anything tuned or compiled after load.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = CommonOptions.Model();
        var device = CommonOptions.Device();
        var table = new Option<string?>("--table") { Description = "A tuning table to use (instead of WARMGATE_TUNING_TABLE and embedded tables)." };
        var noWarmup = new Option<bool>("--no-warmup") { Description = "Skip the warmup: shows the cost of lazy tuning on the first request." };
        var requests = new Option<int>("--requests") { Description = "Requests to serve after load.", DefaultValueFactory = _ => 8 };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var tuning = CommonOptions.Tuning();
        var command = new Command("check", "Load a model, warm it up, serve requests, and prove nothing tuned or compiled after load.")
        {
            model, device, table, noWarmup, requests, json, tuning,
        };
        command.SetAction(parse => Run(
            parse.GetValue(model)!, parse.GetValue(device), parse.GetValue(table), parse.GetValue(noWarmup),
            parse.GetValue(requests), parse.GetValue(json), CommonOptions.TunerOptionsFor(parse.GetValue(tuning)!), output, error));
        return command;
    }

    private static int Run(
        string model, DeviceKind device, string? tablePath, bool noWarmup, int requestCount, string? jsonPath,
        TunerOptions? tunerOptions, TextWriter output, TextWriter error)
    {
        if (requestCount < 1) throw new CliException("--requests must be at least 1.");
        var progress = Progress.ForConsole(error);
        progress.Report($"loading {model} ...");
        using var runtime = Mamba2Runtime.Load(model, device, tunerOptions);
        output.WriteLine($"device: {runtime.Device.Signature}");
        output.WriteLine($"model:  {model} ({runtime.Config.NumHiddenLayers} layers, hidden {runtime.Config.HiddenSize}, heads {runtime.Config.NumHeads}x{runtime.Config.HeadDim}, state {runtime.Config.StateSize}, groups {runtime.Config.NGroups})");
        output.WriteLine($"load:   {runtime.LoadTime.TotalMilliseconds,9:F1} ms");

        var tables = tablePath is not null ? [TuningTableReader.ReadFile(tablePath)] : TuningTableSources.Load();
        if (tables.Count > 0)
        {
            var match = runtime.UseTables(tables);
            foreach (var t in tables)
                output.WriteLine($"table:  {t.SourceOrDefault} ({t.Entries.Count} entries)");
            output.WriteLine($"        {match.Used.Count} entries used, {match.Rejected.Count} rejected");
            foreach (var r in match.Rejected) output.WriteLine($"        rejected {r.Entry.Kernel} [{r.Entry.Key}]: {r.Detail}");
        }

        WarmupReport? warmup = null;
        if (noWarmup)
        {
            runtime.EnterPhase(KernelPhase.Serving);
            output.WriteLine("warmup: skipped (--no-warmup)");
        }
        else
        {
            warmup = runtime.Warmup(progress: progress.Report);
            var tuneMs = warmup.Events.Where(e => e.Kind == KernelEventKind.Tuned).Sum(e => e.Duration.TotalMilliseconds);
            var compileMs = warmup.Events.Where(e => e.Kind == KernelEventKind.Compiled).Sum(e => e.Duration.TotalMilliseconds);
            output.WriteLine($"warmup: {warmup.Duration.TotalMilliseconds,9:F1} ms  ({warmup.TuningRuns} tuning runs {tuneMs:F0} ms, {warmup.Compilations} compilations {compileMs:F0} ms)");
        }

        var late = new List<KernelEvent>();
        using (KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name && e.IsCompileOrTune && e.Phase == KernelPhase.Serving)
                lock (late) late.Add(e);
        }))
        {
            var times = Serve(runtime, requestCount, progress);
            var steady = times.Skip(1).DefaultIfEmpty(times[0]).Order().ToArray();
            var median = steady[steady.Length / 2];
            output.WriteLine($"first request: {times[0],9:F1} ms");
            output.WriteLine($"steady median: {median,9:F1} ms  ({steady.Length} requests; first/steady = {times[0] / median:F2}x)");

            var tunes = late.Count(e => e.Kind == KernelEventKind.TuneStarted);
            var compiles = late.Count(e => e.Kind == KernelEventKind.Compiled);
            foreach (var e in late)
                output.WriteLine($"  after load: {e.Kind} {e.Kernel} [{e.Key}] {e.Config} {e.Duration.TotalMilliseconds:F1} ms at {e.CallSite}");
            output.WriteLine($"post-load tuning runs: {tunes}");
            output.WriteLine($"post-load compilations: {compiles}");
            if (jsonPath is not null)
                WriteJson(jsonPath, runtime, model, warmup, times, median, tunes, compiles, late);
            return tunes == 0 && compiles == 0 ? ExitCodes.Ok : ExitCodes.PostLoadWork;
        }
    }

    /// <summary>Requests of varied batch sizes and prompt lengths: a packed prefill, then two decode steps.</summary>
    private static double[] Serve(Mamba2Runtime runtime, int count, Progress progress)
    {
        var rng = new Random(42);
        var maxLength = runtime.Device.IsCuda ? 1024 : 3 * runtime.Config.ChunkSize;
        using var cache = runtime.CreateCache(4);
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var batch = 1 + (i % 3);
            var prompts = Enumerable.Range(0, batch)
                .Select(_ => Enumerable.Range(0, rng.Next(1, maxLength + 1)).Select(_ => rng.Next(runtime.Config.VocabSize)).ToArray())
                .ToArray();
            var slots = Enumerable.Range(0, batch).ToArray();
            var watch = Stopwatch.StartNew();
            var logits = runtime.Prefill(prompts, cache);
            for (var step = 0; step < 2; step++)
            {
                var next = logits.Select(Mamba2Runtime.ArgMax).ToArray();
                logits = runtime.Decode(next, cache, slots);
            }
            times[i] = watch.Elapsed.TotalMilliseconds;
            progress.Report($"request {i + 1}/{count}: batch {batch}, lengths {string.Join(",", prompts.Select(p => p.Length))}: {times[i]:F1} ms");
        }
        return times;
    }

    private static void WriteJson(
        string path, Mamba2Runtime runtime, string model, WarmupReport? warmup, double[] times, double median,
        int tunes, int compiles, IReadOnlyList<KernelEvent> late)
    {
        var result = new
        {
            model,
            device = runtime.Device.Signature.ToString(),
            loadMs = runtime.LoadTime.TotalMilliseconds,
            warmupMs = warmup?.Duration.TotalMilliseconds,
            warmupTuningRuns = warmup?.TuningRuns,
            warmupCompilations = warmup?.Compilations,
            requestMs = times,
            firstRequestMs = times[0],
            steadyMedianMs = median,
            postLoadTuningRuns = tunes,
            postLoadCompilations = compiles,
            postLoadEvents = late.Select(e => new { kind = e.Kind.ToString(), e.Kernel, e.Key, e.Config, ms = e.Duration.TotalMilliseconds, e.CallSite }),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }
}
