using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Decode;

/// <summary>Device copies of host arrays for the host-array entry points; disposing frees them all.</summary>
internal sealed class HostUpload(Accelerator accelerator) : IDisposable
{
    private readonly List<MemoryBuffer> buffers = [];

    /// <summary>Uploads <paramref name="data"/>; null gives an empty view.</summary>
    public ArrayView<T> Upload<T>(T[]? data)
        where T : unmanaged
    {
        if (data is null || data.Length == 0) return default;
        var buffer = accelerator.Allocate1D(data);
        buffers.Add(buffer);
        return buffer.View;
    }

    public void Dispose()
    {
        foreach (var buffer in buffers)
            buffer.Dispose();
    }
}
