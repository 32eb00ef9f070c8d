using System.Diagnostics;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// Runs the chosen benchmarks in order and decides the exit code: 0 when every result was
/// reported, <see cref="RefusedExitCode"/> when a kernel's output missed its tolerance (its line
/// says so and has no timings) or a swept candidate failed to compile or launch (<c>failed_configs</c>), <see cref="ExitCodes.Crash"/> when a benchmark failed (an
/// <c>error</c> line names it; the others still run).
/// </summary>
internal static class BenchRunner
{
    /// <summary>The exit code when at least one result was refused.</summary>
    public const int RefusedExitCode = 1;

    /// <summary>Runs the benchmarks of <paramref name="settings"/>; JSON lines to <paramref name="output"/>, progress to <paramref name="log"/>.</summary>
    /// <exception cref="NoDeviceException">CUDA was asked for and there is none (nothing was written).</exception>
    public static int Run(BenchSettings settings, TextWriter output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var device = DeviceSelector.Open(settings.Device);
        BenchSink sink;
        try
        {
            sink = new BenchSink(output, settings.OutFile);
        }
        catch
        {
            device.Dispose();
            throw;
        }
        using (sink)
        using (var context = new BenchContext(settings, device, sink, log))
        {
            sink.Write(Environment(context));
            var failed = 0;
            foreach (var kind in settings.Kinds)
            {
                var watch = Stopwatch.StartNew();
                context.Progress($"{kind}: start");
                try
                {
                    Bench(kind, context);
                }
                catch (Exception ex) when (ex is not ModelFormatException and not OutOfMemoryException)
                {
                    failed++;
                    log.WriteLine($"bench: {kind} failed: {ex}");
                    sink.Write(context.Line(kind).Add("error", $"{ex.GetType().Name}: {ex.Message}"));
                }
                context.Progress($"{kind}: done in {watch.Elapsed.TotalSeconds:F1} s");
            }
            sink.Complete();
            if (failed > 0) return ExitCodes.Crash;
            if (sink.Refused > 0)
            {
                log.WriteLine(
                    $"bench: {sink.Refused} result(s) refused: a kernel output missed the tolerance against the float64 reference " +
                    "(refused_configs) or a candidate failed to compile or launch (failed_configs); see those lines.");
                return RefusedExitCode;
            }
            return ExitCodes.Ok;
        }
    }

    private static void Bench(string kind, BenchContext context)
    {
        switch (kind)
        {
            case BenchKinds.SsdPrefill: new SsdPrefillBench(context).Run(); break;
            case BenchKinds.SsdStages: new SsdStagesBench(context).Run(); break;
            case BenchKinds.Decode: new DecodeBench(context).Run(); break;
            case BenchKinds.Startup: new StartupBench(context).Run(); break;
            case BenchKinds.TuningQuality: new TuningQualityBench(context).Run(); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown benchmark.");
        }
    }

    /// <summary>The first line: what ran, where, with which versions and settings.</summary>
    private static BenchLine Environment(BenchContext context)
    {
        var signature = context.Device.Signature;
        var settings = context.Settings;
        return context.Line(BenchKinds.Environment)
            .Add("backend", signature.Backend)
            .Add("architecture", signature.Architecture)
            .Add("multiprocessors", signature.Multiprocessors)
            .Add("driver", signature.Driver)
            .Add("ilgpu", TuningVersions.Ilgpu)
            .Add("warmgate", TuningVersions.WarmGate)
            .Add("dotnet", System.Environment.Version.ToString())
            .Add("benches", string.Join(",", settings.Kinds))
            .Add("quick", settings.Quick)
            .Add("runs", settings.Runs)
            .Add("warmups", settings.Warmups)
            .Add("sweep_runs", settings.SweepRuns)
            .Add("timer", context.Timer.Name)
            .Add("utc", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }
}
