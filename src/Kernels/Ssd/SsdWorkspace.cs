using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The intermediate buffers of <see cref="SsdPrefill"/>: the chunk table, processed dt, dA
/// cumsum, chunk states, passed states and CB. Grow-only: a buffer is reallocated only when a
/// call needs more than it holds, so steady serving allocates nothing (device allocations are
/// counted by <see cref="DeviceAllocations"/>); the chunk table is uploaded only when the
/// offsets change, from a host array kept between calls.
/// </summary>
internal sealed class SsdWorkspace(Accelerator accelerator) : IDisposable
{
    private readonly Grow<int> table = new(accelerator);
    private readonly Grow<float> dt = new(accelerator);
    private readonly Grow<float> dACumsum = new(accelerator);
    private readonly Grow<float> chunkStates = new(accelerator);
    private readonly Grow<float> passedStates = new(accelerator);
    private readonly Grow<float> cb = new(accelerator);
    private int[] uploadedCuSeqlens = [];
    private int uploadedChunkSize;
    private int uploadedLength = -1;
    private int[] host = [];

    /// <summary>The chunk table as four views: start, length, sequence (one per chunk) and first chunk (nseq + 1).</summary>
    public (ArrayView<int> Start, ArrayView<int> Length, ArrayView<int> Sequence, ArrayView<int> FirstChunk) Table(
        AcceleratorStream stream, int[] cuSeqlens, SsdChunkTable chunks)
    {
        int n = chunks.Count, nseq = chunks.Sequences, length = (3 * n) + nseq + 1;
        var grew = table.Ensure(stream, length);
        if (grew || uploadedLength < 0 || uploadedChunkSize != chunks.ChunkSize
            || !uploadedCuSeqlens.AsSpan().SequenceEqual(cuSeqlens))
        {
            // The copy below is synchronous, so the host array can be reused by the next call; it is
            // pinned (pinned object heap) because ILGPU copies from its raw address.
            if (host.Length < length) host = GC.AllocateUninitializedArray<int>(Math.Max(length, host.Length * 2), pinned: true);
            chunks.StartArray.CopyTo(host, 0);
            chunks.LengthArray.CopyTo(host, n);
            chunks.SequenceArray.CopyTo(host, 2 * n);
            chunks.FirstChunkArray.CopyTo(host, 3 * n);
            table.View.SubView(0, length).CopyFromCPU(stream, ref host[0], length);
            if (uploadedCuSeqlens.Length != cuSeqlens.Length) uploadedCuSeqlens = new int[cuSeqlens.Length];
            cuSeqlens.CopyTo(uploadedCuSeqlens, 0);
            uploadedChunkSize = chunks.ChunkSize;
            uploadedLength = length;
        }
        var all = table.View.SubView(0, uploadedLength);
        return (all.SubView(0, n), all.SubView(n, n), all.SubView(2 * n, n), all.SubView(3 * n, nseq + 1));
    }

    public ArrayView<float> Dt(AcceleratorStream stream, long length) => dt.Get(stream, length);

    public ArrayView<float> DACumsum(AcceleratorStream stream, long length) => dACumsum.Get(stream, length);

    public ArrayView<float> ChunkStates(AcceleratorStream stream, long length) => chunkStates.Get(stream, length);

    public ArrayView<float> CB(AcceleratorStream stream, long length) => cb.Get(stream, length);

    /// <summary>The passed states in the state dtype, carved from an fp32 buffer.</summary>
    public ArrayView<TState> PassedStates<TState>(AcceleratorStream stream, long length)
        where TState : unmanaged
    {
        var floats = ((length * Unsafe.SizeOf<TState>()) + sizeof(float) - 1) / sizeof(float);
        return passedStates.Get(stream, floats).Cast<TState>().SubView(0, length);
    }

    public void Dispose()
    {
        table.Dispose();
        dt.Dispose();
        dACumsum.Dispose();
        chunkStates.Dispose();
        passedStates.Dispose();
        cb.Dispose();
    }

    /// <summary>One grow-only device buffer.</summary>
    private sealed class Grow<T>(Accelerator accelerator) : IDisposable
        where T : unmanaged
    {
        private MemoryBuffer1D<T, Stride1D.Dense>? buffer;

        public ArrayView<T> View => buffer!.View;

        /// <summary>Makes the buffer hold at least <paramref name="length"/> elements; true when it was (re)allocated.</summary>
        public bool Ensure(AcceleratorStream stream, long length)
        {
            if (buffer is not null && buffer.Length >= length) return false;
            // Work queued on the stream may still read the old buffer.
            stream.Synchronize();
            buffer?.Dispose();
            buffer = DeviceAllocations.Allocate1D<T>(accelerator, length);
            return true;
        }

        public ArrayView<T> Get(AcceleratorStream stream, long length)
        {
            Ensure(stream, length);
            return buffer!.View.SubView(0, length);
        }

        public void Dispose()
        {
            buffer?.Dispose();
            buffer = null;
        }
    }
}
