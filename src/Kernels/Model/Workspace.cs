using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Grow-only device scratch buffers by name, so steady-state requests allocate nothing.
/// Not thread-safe: one workspace per runtime, used under the runtime's lock.
/// </summary>
internal sealed class Workspace(Accelerator accelerator) : IDisposable
{
    private readonly Dictionary<string, MemoryBuffer> buffers = new(StringComparer.Ordinal);

    public ArrayView<T> Get<T>(string name, long length)
        where T : unmanaged
    {
        length = Math.Max(1, length);
        if (!buffers.TryGetValue(name, out var buffer) || buffer.Length < length || buffer.ElementSize != System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
        {
            buffer?.Dispose();
            var grown = accelerator.Allocate1D<T>(Math.Max(length, (buffer?.Length ?? 0) * 2));
            buffers[name] = grown;
            return grown.View.SubView(0, length);
        }
        return ((MemoryBuffer1D<T, Stride1D.Dense>)buffer).View.SubView(0, length);
    }

    public ArrayView<int> Upload(string name, ReadOnlySpan<int> values)
    {
        var view = Get<int>(name, values.Length);
        if (values.Length > 0) view.SubView(0, values.Length).CopyFromCPU(values.ToArray());
        return view.SubView(0, values.Length);
    }

    public void Dispose()
    {
        foreach (var buffer in buffers.Values) buffer.Dispose();
        buffers.Clear();
    }
}
