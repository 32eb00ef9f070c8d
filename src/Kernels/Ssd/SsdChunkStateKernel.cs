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

    /// <summary>Which input views start on a 16-byte boundary (<see cref="SsdAlignedViews"/>).</summary>
    public int Aligned;
}

/// <summary>
/// Stage 2, <c>ssd.chunk_state</c> (ssd-spec §3.2): <c>S_c[p,n] = Σ_l x_l[p]·B_l[n]·w_l</c> with
/// <c>w_l = dt_l·exp(min(cs_{Q-1} − cs_l, 0))</c>. Grid (chunks, ⌈P/SP⌉·⌈N/SN⌉, H); each group
/// owns one SP × SN tile of one chunk and head. The chunk's x and w-weighted B rows are staged in
/// shared memory in steps of <see cref="StepRows"/> positions; each thread accumulates an 8 × 8
/// micro-tile (<see cref="SsdMicroTile"/>), rows strided by the thread count along p, columns by
/// the thread count along n, so stores stay coalesced.
/// </summary>
internal static class SsdChunkStateKernel
{
    public const string Id = "ssd.chunk_state";

    /// <summary>Chunk positions staged per step (fewer when Q is smaller).</summary>
    public const int StepRows = 32;

    /// <summary>Threads per group of a config.</summary>
    public static int GroupSize(SsdPrefillConfig config) =>
        SsdMicroTile.Threads(config.StateTileP) * SsdMicroTile.Threads(config.StateTileN);

    public static void Kernel<T, TOps, TQ, TSP, TSN>(SsdChunkStateParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TQ : struct, IConstant
        where TSP : struct, IConstant
        where TSN : struct, IConstant
    {
        const int M = SsdMicroTile.Size;
        var q = default(TQ).Value;
        var sp = default(TSP).Value;
        var sn = default(TSN).Value;
        var kb = q < StepRows ? q : StepRows;
        var threadsN = sn >= M ? sn / M : 1;
        var threadsP = sp >= M ? sp / M : 1;
        var groupSize = threadsN * threadsP;
        var tid = Group.IdxX;
        var tn = tid % threadsN;
        var tp = tid / threadsN;
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var weights = SharedMemory.Allocate<float>(default(TQ).Value);
        // + M: a masked micro-tile row or column past a tile smaller than M reads (and ignores) padding.
        var xs = SharedMemory.Allocate<float>(((default(TQ).Value < StepRows ? default(TQ).Value : StepRows) * default(TSP).Value) + M * M);
        var bs = SharedMemory.Allocate<float>(((default(TQ).Value < StepRows ? default(TQ).Value : StepRows) * default(TSN).Value) + M * M);

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
        var acc = default(SsdTile8);
        for (var l0 = 0; l0 < length; l0 += kb)
        {
            Group.Barrier();
            SsdTileStager.Stage(
                new SsdRowsSource<T, TOps, Off, Off>
                {
                    View = p.X, Stride = p.XStride, RowStart = start + l0, Rows = length - l0,
                    Column = xCol, Columns = p.HeadDim - p0, Width = sp, Ld = sp,
                },
                xs, kb * sp, tid, groupSize);
            SsdTileStager.Stage(
                new SsdRowsSource<T, TOps, Off, On>
                {
                    View = p.B, Stride = p.BStride, RowStart = start + l0, Rows = length - l0,
                    Column = bCol, Columns = p.StateSize - n0, Width = sn, Ld = sn, Weights = weights, WeightOffset = l0,
                },
                bs, kb * sn, tid, groupSize);
            Group.Barrier();
            for (var l = 0; l < kb; l++)
                acc.Fma(SsdVec8.Load(xs, (l * sp) + tp, threadsP), SsdVec8.Load(bs, (l * sn) + tn, threadsN));
        }

        var baseIndex = ((c * p.Heads) + h) * p.HeadDim;
        for (var r = 0; r < M; r++)
        {
            var pl = tp + (r * threadsP);
            if (pl >= sp || p0 + pl >= p.HeadDim) continue;
            var row = acc.Row(r);
            var outRow = ((baseIndex + p0 + pl) * p.StateSize) + n0;
            for (var k = 0; k < M; k++)
            {
                var nl = tn + (k * threadsN);
                if (nl < sn && n0 + nl < p.StateSize)
                    p.ChunkStates[outRow + nl] = row.Get(k);
            }
        }
    }
}
