using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>decode</c>: the state update (selective_state_update) at each batch size, fp32 input and
/// state. Every candidate config is checked against the float64 reference and timed; the line
/// reports the default config (what the model runs), the fastest candidate beside it, a
/// device-to-device copy of the state as the bandwidth yardstick, and every candidate's median.
/// </summary>
internal sealed class DecodeBench(BenchContext context)
{
    /// <summary>Runs every batch size.</summary>
    public void Run()
    {
        var op = new SelectiveStateUpdate(context.Registry);
        foreach (var batch in context.Settings.DecodeBatches)
            RunBatch(op, batch);
    }

    private void RunBatch(SelectiveStateUpdate op, int batch)
    {
        var shape = context.Settings.DecodeShape;
        var problem = DecodeProblem.Create(shape, batch, seed: 4242 + batch);
        var (refState, refY) = problem.Reference();
        var accelerator = context.Device.Accelerator;
        var stream = context.Stream;
        var tolerance = CorrectnessGate.Tolerance(problem.Options.State);

        using var state = accelerator.Allocate1D(problem.State);
        using var x = accelerator.Allocate1D(problem.X);
        using var dt = accelerator.Allocate1D(problem.Dt);
        using var a = accelerator.Allocate1D(problem.A);
        using var b = accelerator.Allocate1D(problem.B);
        using var c = accelerator.Allocate1D(problem.C);
        using var d = accelerator.Allocate1D(problem.D);
        using var bias = accelerator.Allocate1D(problem.DtBias);
        using var y = accelerator.Allocate1D<float>((long)batch * shape.Channels);
        using var slots = new CacheSlots(accelerator, problem.Slots, batch);
        var views = new StateUpdateViews<float, float>
        {
            State = state.View, X = x.View, Dt = dt.View, A = a.View, B = b.View, C = c.View,
            D = d.View, DtBias = bias.View, Y = y.View,
        };

        var results = new List<(StateUpdateConfig Config, GateVerdict Verdict, TimingStats? Stats)>();
        var failed = new List<string>();
        foreach (var config in op.Candidates.Where(cfg => cfg.GroupSize <= accelerator.MaxNumThreadsPerGroup))
        {
            state.View.CopyFromCPU(stream, problem.State);
            try
            {
                op.Run(shape, problem.Options, views, slots, config, stream);
                stream.Synchronize();
            }
            catch (Exception e) when (config != op.DefaultConfig && e is not OutOfMemoryException)
            {
                // A candidate the device refuses (say, PTX its JIT rejects) is reported, not fatal:
                // the sweep goes on with the others. The default config's failure still ends the bench.
                failed.Add($"{config}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
                context.Progress($"decode batch {batch}: candidate {config} failed: {e.Message.ReplaceLineEndings(" ")}");
                continue;
            }
            var verdict = CorrectnessGate.Check(tolerance,
                ("state", state.GetAsArray1D(stream), refState), ("y", y.GetAsArray1D(stream), refY));
            TimingStats? timing = null;
            if (verdict.Passed)
            {
                // Each run updates the state in place again; its values stay bounded (|exp(dt·A)| < 1).
                timing = TimingStats.Of(context.Timer.Measure(
                    stream, () => op.Run(shape, problem.Options, views, slots, config, stream),
                    context.Settings.Warmups, context.Settings.Runs));
            }
            results.Add((config, verdict, timing));
        }

        // The bandwidth the state update competes with: a device-to-device copy of the same state
        // (it reads and writes the bytes the update reads and writes, less x, B, C and y).
        using var copy = accelerator.Allocate1D<float>(state.Length);
        var copyStats = TimingStats.Of(context.Timer.Measure(
            stream, () => state.View.CopyTo(stream, copy.View), context.Settings.Warmups, context.Settings.Runs));
        var copyBytes = 2L * state.LengthInBytes;

        var bytes = Costs.DecodeBytes(shape, problem.Options, batch);
        var flops = Costs.DecodeFlops(shape, batch);
        var line = context.Line(BenchKinds.Decode)
            .Add("H", shape.Heads).Add("P", shape.HeadDim).Add("G", shape.Groups).Add("N", shape.StateDim)
            .Add("batch", batch)
            .Add("dtype", problem.Options.Input.Name())
            .Add("state_dtype", problem.Options.State.Name())
            .Add("timer", context.Timer.Name);
        var main = results.FirstOrDefault(r => r.Config == op.DefaultConfig);
        if (main.Config is null)
            throw new InvalidOperationException($"The default state-update config {op.DefaultConfig} does not fit this device.");
        var stats = CorrectnessGate.TimeIfCorrect(line, main.Verdict, () => main.Stats!);
        if (stats is not null)
        {
            line.Add("gbps", Costs.GigabytesPerSecond(bytes, stats.MedianUs))
                .Add("tflops", Costs.TeraflopsPerSecond(flops, stats.MedianUs));
        }
        line.Add("tolerance", tolerance)
            .Add("config", main.Config.ToString())
            .Add("bytes", bytes)
            .Add("flops", flops);

        var refused = results.Where(r => !r.Verdict.Passed).ToList();
        var best = results.Where(r => r.Stats is not null).MinBy(r => r.Stats!.MedianUs);
        if (best.Stats is not null)
        {
            line.Add("best_config", best.Config.ToString())
                .Add("best_median_us", best.Stats.MedianUs)
                .Add("best_gbps", Costs.GigabytesPerSecond(bytes, best.Stats.MedianUs));
        }
        var copyGbps = Costs.GigabytesPerSecond(copyBytes, copyStats.MedianUs);
        line.Add("copy_median_us", copyStats.MedianUs).Add("copy_gbps", copyGbps);
        if (best.Stats is not null)
            line.Add("best_of_copy", Costs.GigabytesPerSecond(bytes, best.Stats.MedianUs) / copyGbps);
        line.Add("candidates", results.Count);
        // Every timed candidate, fastest first, so one run compares all the variants.
        line.Add("sweep", string.Join("; ", results.Where(r => r.Stats is not null).OrderBy(r => r.Stats!.MedianUs)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Config} {r.Stats!.MedianUs:F1}us"))));
        if (failed.Count > 0)
            line.Add("failed_configs", string.Join("; ", failed));
        if (refused.Count > 0)
            line.Add("refused_configs", string.Join("; ", refused.Select(r => $"{r.Config}: {r.Verdict.Reason}")));

        if (refused.Count > 0 || failed.Count > 0) context.Sink.WriteRefused(line);
        else context.Sink.Write(line);
        context.Progress(main.Stats is null
            ? $"decode batch {batch}: REFUSED: {main.Verdict.Reason}"
            : $"decode batch {batch}: {main.Stats.MedianUs:G4} us ({line["gbps"]:G3} GB/s), best {best.Config} {best.Stats?.MedianUs:G4} us, copy {copyStats.MedianUs:G4} us");
    }
}
