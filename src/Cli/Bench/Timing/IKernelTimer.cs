using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>Times work enqueued on a stream, one sample per run.</summary>
internal interface IKernelTimer
{
    /// <summary>How it measures, as the JSON <c>timer</c> field says: <c>events</c> or <c>wall</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="enqueue"/> <paramref name="warmups"/> times untimed, then
    /// <paramref name="runs"/> times timed, and returns each timed run's duration in microseconds.
    /// </summary>
    /// <param name="stream">The stream <paramref name="enqueue"/> launches on.</param>
    /// <param name="enqueue">Enqueues one run (it need not wait for it).</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="runs">Timed runs, at least one.</param>
    double[] Measure(AcceleratorStream stream, Action enqueue, int warmups, int runs);
}

/// <summary>Picks the timer for an accelerator.</summary>
internal static class KernelTimers
{
    /// <summary>
    /// ILGPU profiling markers when the context has profiling on; else CUDA events on a CUDA
    /// device (the same device time); else wall time around each synchronised run.
    /// </summary>
    public static IKernelTimer For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.Context.Properties.EnableProfiling) return new ProfilingMarkerTimer();
        return accelerator is CudaAccelerator ? new CudaEventTimer() : new WallTimer();
    }
}
