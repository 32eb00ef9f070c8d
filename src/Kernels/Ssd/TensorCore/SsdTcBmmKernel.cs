using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// Stage 4 on tensor cores, <c>ssd.bmm</c> with the same arguments and result as
/// <see cref="SsdBmmKernel"/>: <c>CB[c,g,i,j] = Σ_n C_i[n]·B_j[n]</c> over the full Q × Q tile, 0
/// where i or j is past the chunk's real length. Grid (chunks, ⌈Q/BI⌉·⌈Q/BJ⌉, G); a group of
/// (BI/32)·(BJ/32) warps owns a BI × BJ tile, each warp a 32 × 32 part. C and B rows are staged along
/// n in steps of <see cref="SsdTcLayout.StepValues"/>, as fp16 pairs for fp16 inputs or TF32 values for
/// fp32 inputs (<see cref="SsdTcLayout"/>); accumulation is fp32.
/// </summary>
internal static class SsdTcBmmKernel
{
    /// <summary>Threads per group of a config.</summary>
    public static int GroupSize(SsdPrefillConfig config) => SsdTcLayout.Threads(config.BmmTileI, config.BmmTileJ);

    public static void Kernel<T, TOps, TTf32, TQ, TBI, TBJ>(SsdBmmParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TTf32 : struct, IFlag
        where TQ : struct, IConstant
        where TBI : struct, IConstant
        where TBJ : struct, IConstant
    {
        const int Ld = SsdTcLayout.Ld;
        const int HalfStep = SsdTcLayout.StepWords / 2;
        var tf32 = default(TTf32).Value;
        var step = SsdTcLayout.StepValues(tf32);
        var q = default(TQ).Value;
        var bi = default(TBI).Value;
        var bj = default(TBJ).Value;
        var warpsJ = bj / MmaWarpTile.Size;
        var groupSize = bi / MmaWarpTile.Size * warpsJ * WarpMma.WarpSize;
        var tid = Group.IdxX;
        var lane = WarpMma.Lane;
        var warp = WarpMma.Warp;
        var wm = warp / warpsJ;
        var wn = warp - (wm * warpsJ);
        var left = SharedMemory.Allocate<uint>(default(TBI).Value * SsdTcLayout.Ld);
        var right = SharedMemory.Allocate<uint>(default(TBJ).Value * SsdTcLayout.Ld);

        var tileI = Grid.IdxY / p.TilesJ;
        var tileJ = Grid.IdxY - (tileI * p.TilesJ);
        var i0 = tileI * bi;
        var j0 = tileJ * bj;
        var c = Grid.IdxX;
        var g = Grid.IdxZ;
        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var n = p.StateSize;
        var aWarp = wm * MmaWarpTile.Size * Ld;
        var bWarp = wn * MmaWarpTile.Size * Ld;
        var cVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.C), p.CStride, g * n, n);
        var bVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.B), p.BStride, g * n, n);
        var acc = MmaWarpTile.Create();
        if (i0 < length && j0 < length)
        {
            for (var n0 = 0; n0 < n; n0 += step)
            {
                Group.Barrier();
                if (cVectors)
                    SsdTcVectorStager.StageRows(p.C, p.CStride, start + i0, length - i0, (g * n) + n0, n - n0, left, bi, tid, groupSize, tf32);
                else
                    SsdTcStager.Stage(
                        new SsdTcRowWords<T, TOps, TTf32>
                        {
                            View = p.C, Stride = p.CStride, RowStart = start + i0, Rows = length - i0,
                            Column = (g * n) + n0, Columns = n - n0,
                        },
                        left, bi * SsdTcLayout.StepWords, tid, groupSize);
                if (bVectors)
                    SsdTcVectorStager.StageRows(p.B, p.BStride, start + j0, length - j0, (g * n) + n0, n - n0, right, bj, tid, groupSize, tf32);
                else
                    SsdTcStager.Stage(
                        new SsdTcRowWords<T, TOps, TTf32>
                        {
                            View = p.B, Stride = p.BStride, RowStart = start + j0, Rows = length - j0,
                            Column = (g * n) + n0, Columns = n - n0,
                        },
                        right, bj * SsdTcLayout.StepWords, tid, groupSize);
                Group.Barrier();
                acc.Step(left, aWarp, Ld, right, bWarp, Ld, lane, tf32);
                acc.Step(left, aWarp + HalfStep, Ld, right, bWarp + HalfStep, Ld, lane, tf32);
            }
        }

        var sink = new SsdTcBmmSink
        {
            CB = p.CB, Base = ((c * p.Groups) + g) * q, Q = q,
            I0 = i0 + (wm * MmaWarpTile.Size), J0 = j0 + (wn * MmaWarpTile.Size),
        };
        acc.Store(ref sink, lane);
    }
}

/// <summary>The epilogue of <see cref="SsdTcBmmKernel"/>: stores CB inside the Q × Q tile (zeros past the chunk come from zero operands).</summary>
internal struct SsdTcBmmSink : IMmaSink
{
    public ArrayView<float> CB;
    public int Base;
    public int Q;
    public int I0;
    public int J0;

    public readonly void Store(int row, int column, float value)
    {
        var i = I0 + row;
        var j = J0 + column;
        if (i < Q && j < Q)
            CB[((Base + i) * Q) + j] = value;
    }

    public readonly void StorePair(int row, int column, float first, float second)
    {
        Store(row, column, first);
        Store(row, column + 1, second);
    }
}
