using ILGPU.Runtime;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>
/// Device time of each run between two ILGPU profiling markers added to the stream around it.
/// Needs a context built with <c>Profiling()</c>.
/// </summary>
internal sealed class ProfilingMarkerTimer : KernelTimer
{
    /// <inheritdoc/>
    public override string Name => "events";

    /// <inheritdoc/>
    protected override void TimeRuns(AcceleratorStream stream, Action enqueue, double[] samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            using var start = stream.AddProfilingMarker();
            enqueue();
            using var end = stream.AddProfilingMarker();
            samples[i] = end.MeasureFrom(start).TotalMicroseconds;
        }
    }
}
