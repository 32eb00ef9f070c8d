using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The arguments of <c>ssd.chunk_state</c>.</summary>
internal struct SsdChunkStateParams<T>
    where T : unmanaged
{
    public ArrayView<T> X;
    public int XStride;
    public ArrayView<T> B;
    public int BStride;
    public ArrayView<int> ChunkStart;
    public ArrayView<int> ChunkLength;
    public ArrayView<float> DtOut;
    public ArrayView<float> DACumsum;

    /// <summary>Out: each chunk's state contribution S_c, chunks × H × P × N.</summary>
    public ArrayView<float> ChunkStates;
    public int Heads;
    public int HeadDim;
    public int StateSize;
    public int HeadsPerGroup;
    public int Chunks;
    public int TilesN;
}

/// <summary>
/// Stage 2, <c>ssd.chunk_state</c> (ssd-spec §3.2): <c>S_c[p,n] = Σ_l x_l[p]·B_l[n]·w_l</c> with
/// <c>w_l = dt_l·exp(min(cs_{Q-1} − cs_l, 0))</c>. Grid (chunks, ⌈P/SP⌉·⌈N/SN⌉, H); each group
/// of SP·SN threads owns one SP × SN tile of one chunk and head (n fastest), with the chunk's
/// weights w staged in shared memory.
/// </summary>
internal static class SsdChunkStateKernel
{
    public const string Id = "ssd.chunk_state";

    public static void Kernel<T, TOps, TQ, TSP, TSN>(SsdChunkStateParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TQ : struct, IConstant
        where TSP : struct, IConstant
        where TSN : struct, IConstant
    {
        var q = default(TQ).Value;
        var sn = default(TSN).Value;
        var groupSize = default(TSP).Value * sn;
        var tid = Group.IdxX;
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var weights = SharedMemory.Allocate<float>(default(TQ).Value);

        var dtBase = ((h * p.Chunks) + c) * q;
        var total = p.DACumsum[dtBase + q - 1];
        for (var l = tid; l < q; l += groupSize)
            weights[l] = p.DtOut[dtBase + l] * DeviceMath.Exp(MathF.Min(total - p.DACumsum[dtBase + l], 0f));
        Group.Barrier();

        var tileP = Grid.IdxY / p.TilesN;
        var tileN = Grid.IdxY - (tileP * p.TilesN);
        var pi = (tileP * default(TSP).Value) + (tid / sn);
        var ni = (tileN * sn) + (tid % sn);
        if (pi >= p.HeadDim || ni >= p.StateSize) return;

        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var xCol = (h * p.HeadDim) + pi;
        var bCol = ((h / p.HeadsPerGroup) * p.StateSize) + ni;
        var acc = 0f;
        for (var l = 0; l < length; l++)
        {
            var t = start + l;
            acc += default(TOps).ToFloat(p.X[(t * p.XStride) + xCol])
                * default(TOps).ToFloat(p.B[(t * p.BStride) + bCol])
                * weights[l];
        }
        p.ChunkStates[((((c * p.Heads) + h) * p.HeadDim) + pi) * p.StateSize + ni] = acc;
    }
}
