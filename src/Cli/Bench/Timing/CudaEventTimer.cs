using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>
/// GPU time of each run from two CUDA events recorded on the stream around it: what ILGPU's
/// profiling markers record, for contexts built without profiling (as <c>DeviceSelector</c>
/// builds them). Host-side work outside the events is not counted.
/// </summary>
internal sealed class CudaEventTimer : KernelTimer
{
    /// <inheritdoc/>
    public override string Name => "events";

    /// <inheritdoc/>
    protected override void TimeRuns(AcceleratorStream stream, Action enqueue, double[] samples)
    {
        if (stream is not CudaStream cuda)
            throw new ArgumentException($"CUDA event timing needs a CUDA stream, not {stream.GetType().Name}.", nameof(stream));
        using var binding = stream.Accelerator.BindScoped();
        var api = CudaAPI.CurrentAPI;
        Check(api.CreateEvent(out var start, CudaEventFlags.CU_EVENT_DEFAULT));
        try
        {
            Check(api.CreateEvent(out var end, CudaEventFlags.CU_EVENT_DEFAULT));
            try
            {
                for (var i = 0; i < samples.Length; i++)
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
    }

    private static void Check(CudaError error)
    {
        if (error != CudaError.CUDA_SUCCESS)
            throw new CudaException(error);
    }
}
