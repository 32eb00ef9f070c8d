using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>Times work enqueued on a stream, one sample per run.</summary>
internal abstract class KernelTimer
{
    /// <summary>How it measures, as the JSON <c>timer</c> field says: <c>events</c> or <c>wall</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// ILGPU profiling markers when the context has profiling on; else CUDA events on a CUDA
    /// device (the same device time); else wall time around each synchronised run.
    /// </summary>
    public static KernelTimer For(Accelerator accelerator)
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
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        for (var i = 0; i < warmups; i++)
            enqueue();
        stream.Synchronize();
        var samples = new double[runs];
        TimeRuns(stream, enqueue, samples);
        return samples;
    }

    /// <summary>Runs <paramref name="enqueue"/> once per sample, writing each run's duration (µs).</summary>
    protected abstract void TimeRuns(AcceleratorStream stream, Action enqueue, double[] samples);
}
