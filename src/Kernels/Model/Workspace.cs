using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Grow-only device scratch buffers by name, so steady-state requests reuse their activation
/// buffers (a name asked for with another element type gets a new buffer), plus one pinned
/// host staging area for the integer indices of a request (token ids, offsets, slots), so that
/// building and uploading them allocates nothing either.
/// Not thread-safe: one workspace per runtime, used under the runtime's lock.
/// </summary>
internal sealed class Workspace(Accelerator accelerator) : IDisposable
{
    private readonly Dictionary<string, MemoryBuffer> buffers = new(StringComparer.Ordinal);
    private int[] staging = [];
    private int staged;

    /// <summary>A buffer of at least <paramref name="length"/> elements (at least one), allocated only when it must grow.</summary>
    public ArrayView<T> Get<T>(string name, long length)
        where T : unmanaged
    {
        length = Math.Max(1, length);
        buffers.TryGetValue(name, out var buffer);
        if (buffer is MemoryBuffer1D<T, Stride1D.Dense> typed && typed.Length >= length)
            return typed.View.SubView(0, length);
        var grown = DeviceAllocations.Allocate1D<T>(accelerator, Math.Max(length, (buffer?.Length ?? 0) * 2));
        buffer?.Dispose();
        buffers[name] = grown;
        return grown.View.SubView(0, length);
    }

    /// <summary>
    /// A host span of <paramref name="length"/> ints to fill, then pass to <see cref="Upload"/>.
    /// Valid until the next call to <see cref="Stage"/>.
    /// </summary>
    public Span<int> Stage(int length)
    {
        if (staging.Length < length)
            staging = GC.AllocateUninitializedArray<int>(Math.Max(length, staging.Length * 2), pinned: true);
        staged = length;
        return staging.AsSpan(0, length);
    }

    /// <summary>
    /// Copies the first <paramref name="length"/> staged ints into the device buffer
    /// <paramref name="name"/> (synchronously, as ILGPU's copies from the host are) and returns them.
    /// </summary>
    public ArrayView<int> Upload(string name, int length)
    {
        if (length > staged)
            throw new InvalidOperationException($"Workspace: {length} ints to upload but only {staged} were staged; call Stage with at least that length first.");
        var view = Get<int>(name, length).SubView(0, length);
        // The staging array is pinned (allocated on the pinned object heap), so its address is stable.
        if (length > 0) view.CopyFromCPU(ref staging[0], length);
        return view;
    }

    public void Dispose()
    {
        foreach (var buffer in buffers.Values) buffer.Dispose();
        buffers.Clear();
    }
}
