using WarmGate.Kernels.Model;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>tuning-quality</c>: is the tuner's choice the fastest candidate? For every tuned key of
/// each model's warmup plan, and for every SSD prefill key of <c>ssd-prefill</c>, the chosen
/// config is compared with an exhaustive sweep that times every candidate with many runs:
/// ratio = sweep time of the choice / sweep time of the best (1 is perfect).
/// </summary>
internal sealed class TuningQualityBench(BenchContext context)
{
    /// <summary>Runs the models' keys, then the SSD shapes' keys.</summary>
    public void Run()
    {
        foreach (var model in context.Settings.Models)
            RunModel(model);
        foreach (var shape in context.Settings.SsdShapes)
        {
            foreach (var dtype in context.Settings.SsdDtypes)
                RunSsdKey(shape, dtype);
        }
    }

    private void RunModel(string model)
    {
        var settings = context.Settings;
        using var timer = new SweepingTimer(new DeviceCandidateTimer(), settings.SweepRuns);
        using var runtime = Mamba2Runtime.Load(model, settings.Device, settings.Tuner, timer);
        timer.Follow(runtime.Registry.Name);
        runtime.Warmup();
        var tuned = runtime.Tuner.Tuned;
        foreach (var (kernel, key) in WarmupPlan.For(runtime.Config, runtime.Device.IsCuda).TunedKeys)
        {
            var entry = tuned.FirstOrDefault(e => e.Kernel == kernel && e.Key == key)
                ?? throw new InvalidOperationException($"The warmup of {model} did not tune {kernel} [{key}], which its plan lists.");
            var sweep = timer.SweepOf(kernel, key).ToDictionary(kv => kv.Key, kv => kv.Value * 1000);
            Emit(context.Line(BenchKinds.TuningQuality).Add("source", "model").Add("model", model), entry, sweep, timer.TimerOf(kernel, key));
        }
    }

    private void RunSsdKey(SsdShape shape, Dtype dtype)
    {
        var settings = context.Settings;
        var options = SsdPrefillBench.OptionsFor(dtype);
        var length = settings.SsdCheckLength;
        using var run = SsdDeviceRun.Create(context.Ssd, shape, options,
            SsdHostInputs.Random(shape, options, [length], SsdPrefillBench.Seed(shape, dtype, length)));
        var entry = context.TuneSsd(shape, options, run);
        var stream = context.Stream;
        var maxThreads = context.Device.Accelerator.MaxNumThreadsPerGroup;
        var sweep = new Dictionary<string, double>();
        foreach (var candidate in SsdPrefillConfig.Candidates(context.Device.IsCuda).Where(c => c.Fits(maxThreads)))
        {
            var times = context.Timer.Measure(stream, () => run.Enqueue(stream, candidate), settings.Warmups, settings.SweepRuns);
            sweep[candidate.ToString()] = Timing.TimingStats.Of(times).MedianUs;
        }
        Emit(context.Line(BenchKinds.TuningQuality).Add("source", BenchKinds.SsdPrefill).Add("L", length), entry, sweep, context.Timer.Name);
    }

    private void Emit(BenchLine line, TuningEntry entry, IReadOnlyDictionary<string, double> sweepUs, string timer)
    {
        if (!sweepUs.TryGetValue(entry.Config, out var chosenUs))
            throw new InvalidOperationException($"The sweep of {entry.Kernel} [{entry.Key}] did not time the chosen config {entry.Config}.");
        var best = sweepUs.MinBy(kv => kv.Value);
        line.Add("kernel", entry.Kernel)
            .Add("key", entry.Key)
            .Add("config", entry.Config)
            .Add("chosen_us", chosenUs)
            .Add("best_config", best.Key)
            .Add("best_us", best.Value)
            .Add("ratio", chosenUs / best.Value)
            .Add("candidates", sweepUs.Count)
            .Add("tuner_candidates", entry.Candidates.Count)
            .Add("sweep_runs", context.Settings.SweepRuns)
            .Add("tuner_ms", entry.Milliseconds)
            .Add("timer", timer);
        context.Sink.Write(line);
        context.Progress($"tuning-quality {entry.Kernel} [{entry.Key}]: chose {entry.Config} ({chosenUs:G4} us), best {best.Key} ({best.Value:G4} us), ratio {chosenUs / best.Value:F3}");
    }
}
