using System.Globalization;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>ssd-stages</c>: where the SSD prefill's time goes. For the shapes and dtypes of
/// <c>ssd-prefill</c> at each stage length, every candidate config that fits the device (the
/// tuned and the default one first) is run with a boundary after each stage, and each stage's
/// time is reported: one line per problem and config. Outputs are not checked here
/// (<c>ssd-prefill</c> does that).
/// </summary>
internal sealed class SsdStagesBench(BenchContext context)
{
    /// <summary>Runs every shape and dtype.</summary>
    public void Run()
    {
        foreach (var shape in context.Settings.SsdShapes)
        {
            foreach (var dtype in context.Settings.SsdDtypes)
                RunKey(shape, dtype);
        }
    }

    /// <summary>The configs to profile: the tuned, the default, then every other candidate that fits, without repeats.</summary>
    public static IReadOnlyList<SsdPrefillConfig> Configs(SsdPrefillConfig tuned, bool cuda, int maxThreadsPerGroup) =>
        new[] { tuned, SsdPrefillConfig.Default(cuda) }
            .Concat(SsdPrefillConfig.Candidates(cuda).Where(c => c.Fits(maxThreadsPerGroup)))
            .Distinct()
            .ToArray();

    private void RunKey(SsdShape shape, Dtype dtype)
    {
        var settings = context.Settings;
        var options = SsdPrefillBench.OptionsFor(dtype);
        var runs = new Dictionary<int, SsdDeviceRun>();
        try
        {
            SsdDeviceRun RunAt(int length)
            {
                if (!runs.TryGetValue(length, out var run))
                {
                    run = SsdDeviceRun.Create(context.Ssd, shape, options,
                        SsdHostInputs.Random(shape, options, [length], SsdPrefillBench.Seed(shape, dtype, length)));
                    runs[length] = run;
                }
                return run;
            }

            var tuned = SsdPrefillConfig.Parse(context.TuneSsd(shape, options, RunAt(settings.SsdCheckLength)).Config);
            var defaultConfig = SsdPrefillConfig.Default(context.Device.IsCuda);
            var configs = Configs(tuned, context.Device.IsCuda, context.Device.Accelerator.MaxNumThreadsPerGroup);
            foreach (var length in settings.SsdStageLengths)
            {
                var run = RunAt(length);
                foreach (var config in configs)
                {
                    var profile = SsdStageProfiler.Profile(
                        context.Ssd, run, config, context.Stream, context.Timer, settings.Warmups, settings.Runs);
                    var line = Line(shape, options, length, config, config == tuned, config == defaultConfig, profile);
                    context.Sink.Write(line);
                    context.Progress($"ssd-stages {shape} {dtype.Name()} L={length} {config}{(config == tuned ? " (tuned)" : string.Empty)}: {Summary(line, profile)}");
                }
            }
        }
        finally
        {
            foreach (var run in runs.Values) run.Dispose();
        }
    }

    private BenchLine Line(
        SsdShape shape, SsdOptions options, int length, SsdPrefillConfig config, bool isTuned, bool isDefault, SsdStageProfile profile)
    {
        var line = context.Line(BenchKinds.SsdStages)
            .Add("H", shape.Heads).Add("P", shape.HeadDim).Add("G", shape.Groups).Add("N", shape.StateSize)
            .Add("L", length)
            .Add("dtype", options.InputDtype.Name())
            .Add("state_dtype", options.StateDtype.Name())
            .Add("timer", context.Timer.Name)
            .Add("config", config.ToString())
            .Add("tuned", isTuned)
            .Add("default", isDefault)
            .Add("tuned_at_L", context.Settings.SsdCheckLength)
            .Add("stages", string.Join(",", profile.Stages.Select(SsdStageProfile.Stem)));
        TimingStats.Of(profile.Totals()).WriteTo(line);
        var medians = new double[profile.Stages.Count];
        for (var s = 0; s < profile.Stages.Count; s++)
        {
            var stats = TimingStats.Of(profile.Of(s));
            medians[s] = stats.MedianUs;
            var stem = SsdStageProfile.Stem(profile.Stages[s]);
            line.Add(stem + "_median_us", stats.MedianUs)
                .Add(stem + "_p10_us", stats.P10Us)
                .Add(stem + "_p90_us", stats.P90Us);
        }
        var sum = medians.Sum();
        for (var s = 0; s < medians.Length; s++)
            line.Add(SsdStageProfile.Stem(profile.Stages[s]) + "_share", sum > 0 ? medians[s] / sum : 0);
        return line;
    }

    private static string Summary(BenchLine line, SsdStageProfile profile) =>
        string.Create(CultureInfo.InvariantCulture, $"{line["median_us"]:G4} us = ") +
        string.Join(" + ", profile.Stages.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{SsdStageProfile.Stem(s)} {line[SsdStageProfile.Stem(s) + "_median_us"]:G3}")));
}
