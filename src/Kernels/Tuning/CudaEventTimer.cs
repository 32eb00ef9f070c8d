using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Device time from CUDA events recorded on the stream at the start of each run and at each
/// mark: what ILGPU's profiling markers record, for contexts built without profiling (as
/// <c>DeviceSelector</c> builds them). Host-side work between launches is not counted.
/// </summary>
internal sealed class CudaEventTimer : DeviceTimer
{
    /// <inheritdoc/>
    public override string Name => "events";

    /// <inheritdoc/>
    public override bool IsDeviceTime => true;

    /// <inheritdoc/>
    protected override void TimeSegments(AcceleratorStream stream, Action<Action> enqueue, double[][] samples)
    {
        if (stream is not CudaStream cuda)
            throw new ArgumentException($"CUDA event timing needs a CUDA stream, not {stream.GetType().Name}.", nameof(stream));
        var segments = samples[0].Length;
        using var binding = stream.Accelerator.BindScoped();
        var api = CudaAPI.CurrentAPI;
        var events = new IntPtr[segments + 1];
        try
        {
            for (var e = 0; e < events.Length; e++)
                Check(api.CreateEvent(out events[e], CudaEventFlags.CU_EVENT_DEFAULT));
            foreach (var sample in samples)
            {
                var marked = 0;
                Check(api.RecordEvent(events[0], cuda.StreamPtr));
                enqueue(() =>
                {
                    if (marked == segments) throw MarkCountMismatch(segments, "more");
                    marked++;
                    Check(api.RecordEvent(events[marked], cuda.StreamPtr));
                });
                if (marked != segments) throw MarkCountMismatch(segments, marked.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Check(api.SynchronizeEvent(events[segments]));
                for (var s = 0; s < segments; s++)
                {
                    Check(api.ElapsedTime(out float milliseconds, events[s], events[s + 1]));
                    sample[s] = milliseconds * 1000.0;
                }
            }
        }
        finally
        {
            foreach (var e in events)
            {
                if (e != IntPtr.Zero) api.DestroyEvent(e);
            }
        }
    }

    private static void Check(CudaError error)
    {
        if (error != CudaError.CUDA_SUCCESS)
            throw new CudaException(error);
    }
}
