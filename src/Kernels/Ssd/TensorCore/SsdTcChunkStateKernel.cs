using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// Stage 2 on tensor cores, <c>ssd.chunk_state</c> with the same arguments and result as
/// <see cref="SsdChunkStateKernel"/>: <c>S_c[p,n] = Σ_l x_l[p]·B_l[n]·w_l</c> with
/// <c>w_l = dt_l·exp(min(cs_{Q-1} − cs_l, 0))</c>. Grid (chunks, ⌈P/SP⌉·⌈N/SN⌉, H); a group of
/// (SP/32)·(SN/32) warps owns an SP × SN tile of one chunk and head, each warp a 32 × 32 part. Per
/// step of <see cref="SsdTcLayout.StepValues"/> chunk positions, xᵀ and (B·w)ᵀ are staged along l as
/// fp16 pairs (fp16 inputs) or TF32 values (fp32 inputs); B·w is computed in fp32 and then rounded, as
/// upstream casts it to x's dtype. Accumulation is fp32.
/// </summary>
internal static class SsdTcChunkStateKernel
{
    /// <summary>Threads per group of a config.</summary>
    public static int GroupSize(SsdPrefillConfig config) => SsdTcLayout.Threads(config.StateTileP, config.StateTileN);

    public static void Kernel<T, TOps, TTf32, TQ, TSP, TSN>(SsdChunkStateParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TTf32 : struct, IFlag
        where TQ : struct, IConstant
        where TSP : struct, IConstant
        where TSN : struct, IConstant
    {
        const int Ld = SsdTcLayout.Ld;
        const int HalfStep = SsdTcLayout.StepWords / 2;
        var tf32 = default(TTf32).Value;
        var step = SsdTcLayout.StepValues(tf32);
        var q = default(TQ).Value;
        var sp = default(TSP).Value;
        var sn = default(TSN).Value;
        var warpsN = sn / MmaWarpTile.Size;
        var groupSize = sp / MmaWarpTile.Size * warpsN * WarpMma.WarpSize;
        var tid = Group.IdxX;
        var lane = WarpMma.Lane;
        var warp = WarpMma.Warp;
        var wm = warp / warpsN;
        var wn = warp - (wm * warpsN);
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var weights = SharedMemory.Allocate<float>(default(TQ).Value);
        var left = SharedMemory.Allocate<uint>(default(TSP).Value * SsdTcLayout.Ld);
        var right = SharedMemory.Allocate<uint>(default(TSN).Value * SsdTcLayout.Ld);

        var dtBase = ((h * p.Chunks) + c) * q;
        var total = p.DACumsum[dtBase + q - 1];
        for (var l = tid; l < q; l += groupSize)
            weights[l] = p.DtOut[dtBase + l] * DeviceMath.Exp(MathF.Min(total - p.DACumsum[dtBase + l], 0f));

        var tileP = Grid.IdxY / p.TilesN;
        var tileN = Grid.IdxY - (tileP * p.TilesN);
        var p0 = tileP * sp;
        var n0 = tileN * sn;
        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var xCol = (h * p.HeadDim) + p0;
        var bCol = ((h / p.HeadsPerGroup) * p.StateSize) + n0;
        var aWarp = wm * MmaWarpTile.Size * Ld;
        var bWarp = wn * MmaWarpTile.Size * Ld;
        var xVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.X), p.XStride, xCol, p.HeadDim - p0);
        var bVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.B), p.BStride, bCol, p.StateSize - n0);
        var acc = MmaWarpTile.Create();
        for (var l0 = 0; l0 < length; l0 += step)
        {
            Group.Barrier();
            if (xVectors)
            {
                SsdTcVectorStager.StageColumns<T, Off>(
                    p.X, p.XStride, start + l0, length - l0, xCol, p.HeadDim - p0, weights, l0, left, sp, tid, groupSize, tf32);
            }
            else
            {
                SsdTcStager.Stage(
                    new SsdTcColumnWords<T, TOps, Off, TTf32>
                    {
                        View = p.X, Stride = p.XStride, RowStart = start + l0, Rows = length - l0,
                        Column = xCol, Columns = p.HeadDim - p0, Width = sp,
                    },
                    left, sp * SsdTcLayout.StepWords, tid, groupSize);
            }
            if (bVectors)
            {
                SsdTcVectorStager.StageColumns<T, On>(
                    p.B, p.BStride, start + l0, length - l0, bCol, p.StateSize - n0, weights, l0, right, sn, tid, groupSize, tf32);
            }
            else
            {
                SsdTcStager.Stage(
                    new SsdTcColumnWords<T, TOps, On, TTf32>
                    {
                        View = p.B, Stride = p.BStride, RowStart = start + l0, Rows = length - l0,
                        Column = bCol, Columns = p.StateSize - n0, Width = sn, Weights = weights, WeightOffset = l0,
                    },
                    right, sn * SsdTcLayout.StepWords, tid, groupSize);
            }
            Group.Barrier();
            acc.Step(left, aWarp, Ld, right, bWarp, Ld, lane, tf32);
            acc.Step(left, aWarp + HalfStep, Ld, right, bWarp + HalfStep, Ld, lane, tf32);
        }

        var sink = new SsdTcStateSink
        {
            States = p.ChunkStates, RowBase = (((c * p.Heads) + h) * p.HeadDim) + p0 + (wm * MmaWarpTile.Size),
            Rows = p.HeadDim - p0 - (wm * MmaWarpTile.Size), Column = n0 + (wn * MmaWarpTile.Size), StateSize = p.StateSize,
            Pairs = (p.StateSize & 1) == 0 && SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.ChunkStates),
        };
        acc.Store(ref sink, lane);
    }
}

/// <summary>
/// The epilogue of <see cref="SsdTcChunkStateKernel"/>: stores S_c inside the head dim and the state
/// size, a lane's two adjacent columns as one 8-byte store where N is even and the view aligned.
/// </summary>
internal struct SsdTcStateSink : IMmaSink
{
    public ArrayView<float> States;
    public int RowBase;
    public int Rows;
    public int Column;
    public int StateSize;

    /// <summary>Whether pairs may be stored as one 8-byte access (N even, and the view's 16-byte alignment bit set, which implies the 8 bytes a pair needs).</summary>
    public bool Pairs;

    public readonly void Store(int row, int column, float value)
    {
        var nIndex = Column + column;
        if (row < Rows && nIndex < StateSize)
            States[((RowBase + row) * StateSize) + nIndex] = value;
    }

    public readonly void StorePair(int row, int column, float first, float second)
    {
        var nIndex = Column + column;
        if (Pairs && row < Rows && nIndex + 1 < StateSize)
        {
            SsdTcPairAccess.Store(States, ((RowBase + row) * StateSize) + nIndex, first, second);
            return;
        }
        Store(row, column, first);
        Store(row, column + 1, second);
    }
}
