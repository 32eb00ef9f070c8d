using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Times work enqueued on a stream, one sample per run, optionally split into segments at marks
/// the run sets between its launches. The one timing implementation the tuner and
/// <c>warmgate bench</c> share.
/// </summary>
public abstract class DeviceTimer
{
    /// <summary>How it measures, as bench results name it: <c>events</c> (device time) or <c>wall</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the samples are device time (launch overhead and host waits not counted).</summary>
    public abstract bool IsDeviceTime { get; }

    /// <summary>
    /// ILGPU profiling markers when the context has profiling on; else CUDA events on a CUDA
    /// device (the same device time); else wall time around each synchronised run or segment.
    /// </summary>
    public static DeviceTimer For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.Context.Properties.EnableProfiling) return new ProfilingMarkerTimer();
        return accelerator is CudaAccelerator ? new CudaEventTimer() : new WallTimer();
    }

    /// <summary>
    /// Runs <paramref name="enqueue"/> <paramref name="warmups"/> times untimed, waits, then
    /// <paramref name="runs"/> times timed, and returns each timed run's duration in microseconds.
    /// </summary>
    /// <param name="stream">The stream <paramref name="enqueue"/> launches on.</param>
    /// <param name="enqueue">Enqueues one run (it need not wait for it).</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="runs">Timed runs, at least one.</param>
    public double[] Measure(AcceleratorStream stream, Action enqueue, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        var segments = MeasureSegments(stream, mark =>
        {
            enqueue();
            mark();
        }, 1, warmups, runs);
        return [.. segments.Select(run => run[0])];
    }

    /// <summary>
    /// Times runs split into <paramref name="segments"/> parts: each run is given a <c>mark</c>
    /// action and must call it exactly <paramref name="segments"/> times, after enqueuing each
    /// part (the last mark ends the run). Segment i is the time from the previous mark (or the
    /// start of the run) to mark i. Returns, per timed run, each segment's duration in microseconds.
    /// </summary>
    /// <param name="stream">The stream the run launches on.</param>
    /// <param name="enqueue">Enqueues one run, calling its argument after each segment's launches.</param>
    /// <param name="segments">How many marks a run sets, at least one.</param>
    /// <param name="warmups">Untimed runs first (their marks do nothing).</param>
    /// <param name="runs">Timed runs, at least one.</param>
    /// <exception cref="InvalidOperationException">A timed run set a different number of marks.</exception>
    public double[][] MeasureSegments(AcceleratorStream stream, Action<Action> enqueue, int segments, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segments);
        ArgumentOutOfRangeException.ThrowIfNegative(warmups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        for (var i = 0; i < warmups; i++)
            enqueue(static () => { });
        stream.Synchronize();
        var samples = new double[runs][];
        for (var i = 0; i < runs; i++)
            samples[i] = new double[segments];
        TimeSegments(stream, enqueue, samples);
        return samples;
    }

    /// <summary>Runs <paramref name="enqueue"/> once per sample row, writing each segment's duration (µs).</summary>
    /// <param name="stream">The stream the run launches on.</param>
    /// <param name="enqueue">One run; calls its argument once per segment.</param>
    /// <param name="samples">One row per run, one column per segment.</param>
    protected abstract void TimeSegments(AcceleratorStream stream, Action<Action> enqueue, double[][] samples);

    /// <summary>The error for a run that set another number of marks than it has segments.</summary>
    protected static InvalidOperationException MarkCountMismatch(int segments, string got) =>
        new($"A timed run must mark {segments} segment boundar{(segments == 1 ? "y" : "ies")} but marked {got}; " +
            "call the mark action once after each segment's launches.");
}
