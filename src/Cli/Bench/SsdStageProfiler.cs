using ILGPU.Runtime;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// Times each stage of one SSD prefill (setup, then its kernels) through
/// <see cref="SsdPrefill.StageLaunched"/>: the timer marks a boundary after each stage's launch
/// (CUDA events on a GPU; a stream synchronise and the wall clock on the CPU accelerator).
/// </summary>
internal static class SsdStageProfiler
{
    /// <summary>
    /// Runs <paramref name="run"/> once untimed to learn its stages (and compile what is not yet
    /// compiled), then <paramref name="warmups"/> untimed and <paramref name="runs"/> timed runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The prefill already has a stage hook, or a run launched other stages than the first.</exception>
    public static SsdStageProfile Profile(
        SsdPrefill prefill, SsdDeviceRun run, SsdPrefillConfig config, AcceleratorStream stream, DeviceTimer timer, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(timer);
        if (prefill.StageLaunched is not null)
            throw new InvalidOperationException("The SSD prefill already has a stage hook: only one stage profiler may run at a time.");
        var stages = new List<string>();
        Action<string> onStage = stages.Add;
        prefill.StageLaunched = id => onStage(id);
        try
        {
            run.Enqueue(stream, config);
            stream.Synchronize();
            if (stages.Count == 0)
                throw new InvalidOperationException("The SSD prefill reported no stages; is SsdPrefill.StageLaunched still called in its launch sequence?");
            var samples = timer.MeasureSegments(stream, mark =>
            {
                var next = 0;
                onStage = id =>
                {
                    if (next >= stages.Count || stages[next] != id)
                        throw new InvalidOperationException(
                            $"SSD stage '{id}' launched where '{(next < stages.Count ? stages[next] : "(end of run)")}' was expected: the launch sequence changed between runs.");
                    next++;
                    mark();
                };
                run.Enqueue(stream, config);
            }, stages.Count, warmups, runs);
            return new SsdStageProfile(stages, samples);
        }
        finally
        {
            prefill.StageLaunched = null;
        }
    }
}

/// <summary>Per-stage timings of one SSD prefill problem and config.</summary>
/// <param name="Stages">The stage ids in launch order (<c>ssd.setup</c>, then the kernels).</param>
/// <param name="Samples">Per timed run, each stage's duration in microseconds.</param>
internal sealed record SsdStageProfile(IReadOnlyList<string> Stages, double[][] Samples)
{
    /// <summary>The samples of one stage (µs), one per run.</summary>
    public double[] Of(int stage) => [.. Samples.Select(run => run[stage])];

    /// <summary>Each run's total over all stages (µs).</summary>
    public double[] Totals() => [.. Samples.Select(run => run.Sum())];

    /// <summary>The field-name stem of a stage: its id without the <c>ssd.</c> prefix (<c>chunk_scan</c>).</summary>
    public static string Stem(string stage) =>
        (stage.StartsWith("ssd.", StringComparison.Ordinal) ? stage[4..] : stage).Replace('.', '_');
}
