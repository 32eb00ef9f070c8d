using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>
/// GPU time of each run from two CUDA events recorded on the stream around it (what ILGPU's
/// profiling markers record; those need a context built with profiling on, which
/// <c>DeviceSelector</c> does not do). Host-side launch cost outside the events is not counted.
/// </summary>
internal sealed class CudaEventTimer : IKernelTimer
{
    /// <inheritdoc/>
    public string Name => "events";

    /// <inheritdoc/>
    public double[] Measure(AcceleratorStream stream, Action enqueue, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        if (stream is not CudaStream cuda)
            throw new ArgumentException($"CUDA event timing needs a CUDA stream, not {stream?.GetType().Name ?? "null"}.", nameof(stream));
        using var binding = stream.Accelerator.BindScoped();
        for (var i = 0; i < warmups; i++)
            enqueue();
        stream.Synchronize();
        var api = CudaAPI.CurrentAPI;
        var samples = new double[runs];
        Check(api.CreateEvent(out var start, CudaEventFlags.CU_EVENT_DEFAULT));
        try
        {
            Check(api.CreateEvent(out var end, CudaEventFlags.CU_EVENT_DEFAULT));
            try
            {
                for (var i = 0; i < runs; i++)
                {
                    Check(api.RecordEvent(start, cuda.StreamPtr));
                    enqueue();
                    Check(api.RecordEvent(end, cuda.StreamPtr));
                    Check(api.SynchronizeEvent(end));
                    Check(api.ElapsedTime(out float milliseconds, start, end));
                    samples[i] = milliseconds * 1000.0;
                }
            }
            finally
            {
                api.DestroyEvent(end);
            }
        }
        finally
        {
            api.DestroyEvent(start);
        }
        return samples;
    }

    private static void Check(CudaError error)
    {
        if (error != CudaError.CUDA_SUCCESS)
            throw new CudaException(error);
    }
}
