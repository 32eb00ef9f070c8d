using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The arguments of <c>ssd.bmm</c>.</summary>
internal struct SsdBmmParams<T>
    where T : unmanaged
{
    public ArrayView<T> B;
    public int BStride;
    public ArrayView<T> C;
    public int CStride;
    public ArrayView<int> ChunkStart;
    public ArrayView<int> ChunkLength;

    /// <summary>Out: C·Bᵀ per chunk and group, chunks × G × Q × Q, fp32.</summary>
    public ArrayView<float> CB;
    public int Groups;
    public int StateSize;
    public int TilesJ;

    /// <summary>Which input views start on a 16-byte boundary (<see cref="SsdAlignedViews"/>).</summary>
    public int Aligned;
}

/// <summary>
/// Stage 4, <c>ssd.bmm</c> (ssd-spec §3.4): <c>CB[c,g,i,j] = Σ_n C_i[n]·B_j[n]</c> over the full
/// Q × Q tile, 0 where i or j is past the chunk's real length. Grid (chunks, ⌈Q/BI⌉·⌈Q/BJ⌉, G);
/// groups of BI·BJ threads, one (i, j) per thread (j fastest).
/// </summary>
internal static class SsdBmmKernel
{
    public const string Id = "ssd.bmm";

    public static void Kernel<T, TOps, TQ, TBI, TBJ>(SsdBmmParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TQ : struct, IConstant
        where TBI : struct, IConstant
        where TBJ : struct, IConstant
    {
        var q = default(TQ).Value;
        var bj = default(TBJ).Value;
        var tileI = Grid.IdxY / p.TilesJ;
        var tileJ = Grid.IdxY - (tileI * p.TilesJ);
        var i = (tileI * default(TBI).Value) + (Group.IdxX / bj);
        var j = (tileJ * bj) + (Group.IdxX % bj);
        if (i >= q || j >= q) return;
        var c = Grid.IdxX;
        var g = Grid.IdxZ;
        var length = p.ChunkLength[c];
        var acc = 0f;
        if (i < length && j < length)
        {
            var start = p.ChunkStart[c];
            var cRow = ((start + i) * p.CStride) + (g * p.StateSize);
            var bRow = ((start + j) * p.BStride) + (g * p.StateSize);
            for (var n = 0; n < p.StateSize; n++)
                acc += default(TOps).ToFloat(p.C[cRow + n]) * default(TOps).ToFloat(p.B[bRow + n]);
        }
        p.CB[((((c * p.Groups) + g) * q) + i) * q + j] = acc;
    }
}
