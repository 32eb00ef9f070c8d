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
/// groups of BI·BJ threads, one (i, j) per thread (j fastest). The group stages its BI rows of C
/// and BJ rows of B in shared memory, <see cref="StepN"/> state columns per step (coalesced: one
/// row's consecutive n go to consecutive threads), rows padded by one float so that the threads of
/// a warp, which read different B rows at the same n, hit different banks.
/// </summary>
internal static class SsdBmmKernel
{
    public const string Id = "ssd.bmm";

    /// <summary>State columns n staged per step (fewer in the last step when N is not a multiple); a multiple of 4 (the unrolled loop).</summary>
    public const int StepN = 32;

    /// <summary>The shared-memory row stride of a staged row: <see cref="StepN"/> plus one float of padding.</summary>
    public const int Ld = StepN + 1;

    public static void Kernel<T, TOps, TQ, TBI, TBJ>(SsdBmmParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TQ : struct, IConstant
        where TBI : struct, IConstant
        where TBJ : struct, IConstant
    {
        var q = default(TQ).Value;
        var bi = default(TBI).Value;
        var bj = default(TBJ).Value;
        var groupSize = bi * bj;
        var tid = Group.IdxX;
        var il = tid / bj;
        var jl = tid - (il * bj);
        var cs = SharedMemory.Allocate<float>(default(TBI).Value * Ld);
        var bs = SharedMemory.Allocate<float>(default(TBJ).Value * Ld);

        var tileI = Grid.IdxY / p.TilesJ;
        var tileJ = Grid.IdxY - (tileI * p.TilesJ);
        var i0 = tileI * bi;
        var j0 = tileJ * bj;
        var i = i0 + il;
        var j = j0 + jl;
        var c = Grid.IdxX;
        var g = Grid.IdxZ;
        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var column = g * p.StateSize;
        var acc = 0f;
        // Uniform over the group: a tile wholly past the chunk's end skips the loop (and its barriers) together.
        if (i0 < length && j0 < length)
        {
            for (var n0 = 0; n0 < p.StateSize; n0 += StepN)
            {
                Group.Barrier();
                SsdTileStager.Stage(
                    new SsdRowsSource<T, TOps, Off, Off>
                    {
                        View = p.C, Stride = p.CStride, RowStart = start + i0, Rows = length - i0,
                        Column = column + n0, Columns = p.StateSize - n0, Width = StepN, Ld = Ld,
                    },
                    cs, bi * StepN, tid, groupSize);
                SsdTileStager.Stage(
                    new SsdRowsSource<T, TOps, Off, Off>
                    {
                        View = p.B, Stride = p.BStride, RowStart = start + j0, Rows = length - j0,
                        Column = column + n0, Columns = p.StateSize - n0, Width = StepN, Ld = Ld,
                    },
                    bs, bj * StepN, tid, groupSize);
                Group.Barrier();
                var cRow = il * Ld;
                var bRow = jl * Ld;
                var count = p.StateSize - n0;
                if (count >= StepN)
                {
                    // Unrolled by hand (ILGPU emits PTX without unrolling); the sum is still in order of n.
                    for (var n = 0; n < StepN; n += 4)
                    {
                        acc += cs[cRow + n] * bs[bRow + n];
                        acc += cs[cRow + n + 1] * bs[bRow + n + 1];
                        acc += cs[cRow + n + 2] * bs[bRow + n + 2];
                        acc += cs[cRow + n + 3] * bs[bRow + n + 3];
                    }
                }
                else
                {
                    for (var n = 0; n < count; n++)
                        acc += cs[cRow + n] * bs[bRow + n];
                }
            }
        }
        if (i < q && j < q)
            p.CB[((((c * p.Groups) + g) * q) + i) * q + j] = i < length && j < length ? acc : 0f;
    }
}
