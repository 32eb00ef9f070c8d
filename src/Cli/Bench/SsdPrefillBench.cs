using System.Diagnostics;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>ssd-prefill</c>: for each layer shape and input dtype (fp32 state, D per head, dt bias and
/// softplus, one sequence), tunes the key at the check length, checks the tuned and the default
/// config against the float64 recurrence there, then times both at every length. A config whose
/// output misses the tolerance is refused: its line carries the error and no timings.
/// </summary>
internal sealed class SsdPrefillBench(BenchContext context)
{
    /// <summary>The Mamba2 code path: dt bias and softplus, D per head, no z, no initial states, fp32 state.</summary>
    public static SsdOptions OptionsFor(Dtype input) => new()
    {
        DtSoftplus = true,
        HasDtBias = true,
        DMode = SsdDMode.PerHead,
        InputDtype = input,
        StateDtype = Dtype.F32,
    };

    /// <summary>A fixed seed per problem, so every run of the bench measures the same inputs.</summary>
    public static int Seed(SsdShape shape, Dtype input, int length) =>
        1 + (31 * shape.Heads) + (7 * shape.Groups) + length + (input == Dtype.F16 ? 100_000 : 0);

    /// <summary>Runs every shape and dtype.</summary>
    public void Run()
    {
        foreach (var shape in context.Settings.SsdShapes)
        {
            foreach (var dtype in context.Settings.SsdDtypes)
                RunKey(shape, dtype);
        }
    }

    private void RunKey(SsdShape shape, Dtype dtype)
    {
        var settings = context.Settings;
        var options = OptionsFor(dtype);
        var checkLength = settings.SsdCheckLength;
        var label = $"ssd-prefill {shape} {dtype.Name()}";

        var watch = Stopwatch.StartNew();
        var checkInputs = SsdHostInputs.Random(shape, options, [checkLength], Seed(shape, dtype, checkLength));
        var reference = SsdReference.Recurrence(checkInputs, shape, options);
        context.Progress($"{label}: float64 reference at L={checkLength} in {watch.Elapsed.TotalSeconds:F1} s");

        using var checkRun = SsdDeviceRun.Create(context.Ssd, shape, options, checkInputs);
        watch.Restart();
        var tuned = context.TuneSsd(shape, options, checkRun);
        context.Progress($"{label}: tuned at L={checkLength} in {watch.Elapsed.TotalSeconds:F1} s -> {tuned.Config}");

        var tunedConfig = SsdPrefillConfig.Parse(tuned.Config);
        var defaultConfig = SsdPrefillConfig.Default(context.Device.IsCuda);
        var tolerance = CorrectnessGate.Tolerance(dtype);
        var tunedVerdict = Check(checkRun, tunedConfig, reference, tolerance);
        var defaultVerdict = defaultConfig == tunedConfig ? tunedVerdict : Check(checkRun, defaultConfig, reference, tolerance);
        context.Progress($"{label}: max rel err tuned {tunedVerdict.MaxRelativeError:G3}, default {defaultVerdict.MaxRelativeError:G3} (tolerance {tolerance:G3})");

        foreach (var length in settings.SsdLengths)
        {
            SsdDeviceRun? own = null;
            try
            {
                var run = length == checkLength
                    ? checkRun
                    : own = SsdDeviceRun.Create(context.Ssd, shape, options,
                        SsdHostInputs.Random(shape, options, [length], Seed(shape, dtype, length)));
                var line = Measure(shape, options, run, tunedConfig, tunedVerdict, defaultConfig, defaultVerdict);
                if (tunedVerdict.Passed && defaultVerdict.Passed) context.Sink.Write(line);
                else context.Sink.WriteRefused(line);
                context.Progress($"{label} L={length}: {Summary(line)}");
            }
            finally
            {
                own?.Dispose();
            }
        }
    }

    private BenchLine Measure(
        SsdShape shape, SsdOptions options, SsdDeviceRun run,
        SsdPrefillConfig tunedConfig, GateVerdict tunedVerdict, SsdPrefillConfig defaultConfig, GateVerdict defaultVerdict)
    {
        var settings = context.Settings;
        var length = run.Tokens;
        var line = context.Line(BenchKinds.SsdPrefill)
            .Add("H", shape.Heads).Add("P", shape.HeadDim).Add("G", shape.Groups).Add("N", shape.StateSize)
            .Add("L", length)
            .Add("dtype", options.InputDtype.Name())
            .Add("state_dtype", options.StateDtype.Name())
            .Add("timer", context.Timer.Name);
        var io = Costs.SsdPrefillIoBytes(shape, options, length);
        var flops = Costs.SsdPrefillFlops(shape, length, tunedConfig.ChunkSize);
        var stats = CorrectnessGate.TimeIfCorrect(line, tunedVerdict, () => Time(run, tunedConfig));
        if (stats is not null)
        {
            line.Add("gbps", Costs.GigabytesPerSecond(io, stats.MedianUs))
                .Add("tflops", Costs.TeraflopsPerSecond(flops, stats.MedianUs));
        }
        line.Add("tolerance", tunedVerdict.Tolerance)
            .Add("checked_at_L", settings.SsdCheckLength)
            .Add("tuned_at_L", settings.SsdCheckLength)
            .Add("config", tunedConfig.ToString())
            .Add("io_bytes", io)
            .Add("flops", flops)
            .Add("default_config", defaultConfig.ToString());
        if (stats is null && defaultVerdict.Passed) return line;
        // The same config is measured once; its numbers stand for both.
        var defaultStats = CorrectnessGate.TimeIfCorrect(
            line, defaultVerdict, () => defaultConfig == tunedConfig ? stats! : Time(run, defaultConfig), "default_");
        if (stats is not null && defaultStats is not null)
            line.Add("speedup_vs_default", defaultStats.MedianUs / stats.MedianUs);
        return line;
    }

    private TimingStats Time(SsdDeviceRun run, SsdPrefillConfig config)
    {
        var stream = context.Stream;
        return TimingStats.Of(context.Timer.Measure(
            stream, () => run.Enqueue(stream, config), context.Settings.Warmups, context.Settings.Runs));
    }

    private GateVerdict Check(SsdDeviceRun run, SsdPrefillConfig config, SsdReferenceResult reference, double tolerance)
    {
        run.Enqueue(context.Stream, config);
        var (y, final) = run.Download(context.Stream);
        return CorrectnessGate.Check(tolerance, ("y", y, reference.Y), ("final_states", final, reference.FinalStates));
    }

    private static string Summary(BenchLine line) =>
        line["refused"] is true
            ? $"REFUSED: {line["reason"]}"
            : $"{line["median_us"]:G4} us ({line["gbps"]:G3} GB/s, {line["tflops"]:G3} TFLOP/s), default {line["default_median_us"] ?? line["default_reason"]}";
}
