using ILGPU.Runtime;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>
/// Device time of each run between two ILGPU profiling markers added to the stream around it.
/// Needs a context built with <c>Profiling()</c>.
/// </summary>
internal sealed class ProfilingMarkerTimer : IKernelTimer
{
    /// <inheritdoc/>
    public string Name => "events";

    /// <inheritdoc/>
    public double[] Measure(AcceleratorStream stream, Action enqueue, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        for (var i = 0; i < warmups; i++)
            enqueue();
        stream.Synchronize();
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            using var start = stream.AddProfilingMarker();
            enqueue();
            using var end = stream.AddProfilingMarker();
            samples[i] = end.MeasureFrom(start).TotalMicroseconds;
        }
        return samples;
    }
}
