using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Grow-only device scratch buffers by name, so steady-state requests reuse their activation
/// buffers (a name asked for with another element type gets a new buffer).
/// Not thread-safe: one workspace per runtime, used under the runtime's lock.
/// </summary>
internal sealed class Workspace(Accelerator accelerator) : IDisposable
{
    private readonly Dictionary<string, MemoryBuffer> buffers = new(StringComparer.Ordinal);

    public ArrayView<T> Get<T>(string name, long length)
        where T : unmanaged
    {
        length = Math.Max(1, length);
        buffers.TryGetValue(name, out var buffer);
        if (buffer is MemoryBuffer1D<T, Stride1D.Dense> typed && typed.Length >= length)
            return typed.View.SubView(0, length);
        var grown = accelerator.Allocate1D<T>(Math.Max(length, (buffer?.Length ?? 0) * 2));
        buffer?.Dispose();
        buffers[name] = grown;
        return grown.View.SubView(0, length);
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
