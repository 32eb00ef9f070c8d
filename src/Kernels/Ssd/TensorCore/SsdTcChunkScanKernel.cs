using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// Stage 5 on tensor cores, <c>ssd.chunk_scan</c> with the same arguments and result as
/// <see cref="SsdChunkScanKernel"/>: row i of chunk c gets
/// <c>exp(cs_i)·C_i·h_prev + Σ_{j≤i} CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j·x_j</c>, plus D·x_i, gated
/// by <c>z·σ(z)</c>. Grid (chunks, ⌈Q/YT⌉·⌈P/YP⌉, H); a group of (YT/32)·(YP/32) warps owns a YT × YP
/// tile of y, each warp a 32 × 32 part (<see cref="MmaWarpTile"/>). The off-diagonal product
/// C·h_prevᵀ runs over N, the diagonal product W·x over j ≤ the warp's last row, both in steps of
/// <see cref="SsdTcLayout.StepValues"/> with operands in the input's format (C, the state entering the
/// chunk, W and x as fp16 for fp16 inputs, as upstream casts them, or as TF32 for fp32 inputs, as
/// upstream's TF32 dots round them) and fp32 accumulators.
/// </summary>
internal static class SsdTcChunkScanKernel
{
    /// <summary>Threads per group of a config.</summary>
    public static int GroupSize(SsdPrefillConfig config) => SsdTcLayout.Threads(config.ScanTileRows, config.ScanTileP);

    public static void Kernel<T, TOps, TTf32, TState, TStateOps, THasD, TDPerChannel, TZ, TInit, TQ, TYT, TYP>(
        SsdChunkScanParams<T, TState> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TTf32 : struct, IFlag
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where THasD : struct, IFlag
        where TDPerChannel : struct, IFlag
        where TZ : struct, IFlag
        where TInit : struct, IFlag
        where TQ : struct, IConstant
        where TYT : struct, IConstant
        where TYP : struct, IConstant
    {
        const int Ld = SsdTcLayout.Ld;
        const int HalfStep = SsdTcLayout.StepWords / 2;
        var tf32 = default(TTf32).Value;
        var step = SsdTcLayout.StepValues(tf32);
        var q = default(TQ).Value;
        var yt = default(TYT).Value;
        var yp = default(TYP).Value;
        var warpsP = yp / MmaWarpTile.Size;
        var groupSize = yt / MmaWarpTile.Size * warpsP * WarpMma.WarpSize;
        var tid = Group.IdxX;
        var lane = WarpMma.Lane;
        var warp = WarpMma.Warp;
        var wm = warp / warpsP;
        var wn = warp - (wm * warpsP);
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var cs = SharedMemory.Allocate<float>(default(TQ).Value);
        var dts = SharedMemory.Allocate<float>(default(TQ).Value);
        var left = SharedMemory.Allocate<uint>(default(TYT).Value * SsdTcLayout.Ld);
        var right = SharedMemory.Allocate<uint>(default(TYP).Value * SsdTcLayout.Ld);

        var dtBase = ((h * p.Chunks) + c) * q;
        for (var l = tid; l < q; l += groupSize)
        {
            cs[l] = p.DACumsum[dtBase + l];
            dts[l] = p.DtOut[dtBase + l];
        }

        var tileI = Grid.IdxY / p.TilesP;
        var tileP = Grid.IdxY - (tileI * p.TilesP);
        var i0 = tileI * yt;
        var p0 = tileP * yp;
        var length = p.ChunkLength[c];
        var rowEnd = i0 + yt < length ? i0 + yt : length;
        if (i0 >= length) return;

        var start = p.ChunkStart[c];
        var g = h / p.HeadsPerGroup;
        var n = p.StateSize;
        var aWarp = wm * MmaWarpTile.Size * Ld;
        var bWarp = wn * MmaWarpTile.Size * Ld;
        var acc = MmaWarpTile.Create();

        // Off-diagonal: C rows · the state entering the chunk (P × N, n contiguous), over N.
        var sequence = p.ChunkSequence[c];
        var first = p.FirstChunk[sequence] == c;
        if (!first || default(TInit).Value)
        {
            var stateBase = first
                ? ((sequence * p.Heads) + h) * p.HeadDim * n
                : (((c - 1) * p.Heads) + h) * p.HeadDim * n;
            var states = first ? p.InitialStates : p.PassedStates;
            var cVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.C), p.CStride, g * n, n);
            var sVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, first ? SsdAlignedViews.InitialStates : SsdAlignedViews.PassedStates), n, stateBase + (p0 * n), n);
            for (var n0 = 0; n0 < n; n0 += step)
            {
                Group.Barrier();
                if (cVectors)
                    SsdTcVectorStager.StageRows(p.C, p.CStride, start + i0, rowEnd - i0, (g * n) + n0, n - n0, left, yt, tid, groupSize, tf32);
                else
                    SsdTcStager.Stage(
                        new SsdTcRowWords<T, TOps, TTf32>
                        {
                            View = p.C, Stride = p.CStride, RowStart = start + i0, Rows = rowEnd - i0,
                            Column = (g * n) + n0, Columns = n - n0,
                        },
                        left, yt * SsdTcLayout.StepWords, tid, groupSize);
                if (sVectors)
                    SsdTcVectorStager.StageRows(states, n, 0, p.HeadDim - p0, stateBase + (p0 * n) + n0, n - n0, right, yp, tid, groupSize, tf32);
                else
                    SsdTcStager.Stage(
                        new SsdTcRowWords<TState, TStateOps, TTf32>
                        {
                            View = states, Stride = n, RowStart = 0, Rows = p.HeadDim - p0,
                            Column = stateBase + (p0 * n) + n0, Columns = n - n0,
                        },
                        right, yp * SsdTcLayout.StepWords, tid, groupSize);
                Group.Barrier();
                acc.Step(left, aWarp, Ld, right, bWarp, Ld, lane, tf32);
                acc.Step(left, aWarp + HalfStep, Ld, right, bWarp + HalfStep, Ld, lane, tf32);
            }
            var row = i0 + (wm * MmaWarpTile.Size) + (lane >> 2);
            acc.ScaleRows(RowScale(cs, row, q), RowScale(cs, row + 8, q), RowScale(cs, row + 16, q), RowScale(cs, row + 24, q));
        }

        // Diagonal: W[i,j] = CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j for j ≤ i, times x_j, over j < rowEnd.
        var cbBase = ((c * p.Groups) + g) * q;
        var xCol = (h * p.HeadDim) + p0;
        var warpLastRow = i0 + (wm * MmaWarpTile.Size) + MmaWarpTile.Size - 1;
        var cbVectors = SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.CB);
        var xVectors = SsdTcVectorStager.Usable(SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.X), p.XStride, xCol, p.HeadDim - p0);
        for (var j0 = 0; j0 < rowEnd; j0 += step)
        {
            Group.Barrier();
            var weightWords = new SsdTcWeightWords<TTf32> { CB = p.CB, Cs = cs, Dt = dts, CBBase = cbBase, Q = q, I0 = i0, J0 = j0, RowEnd = rowEnd };
            if (cbVectors)
                SsdTcVectorStager.StageWeights(weightWords, left, yt, tid, groupSize);
            else
                SsdTcStager.Stage(weightWords, left, yt * SsdTcLayout.StepWords, tid, groupSize);
            if (xVectors)
            {
                SsdTcVectorStager.StageColumns<T, Off>(
                    p.X, p.XStride, start + j0, rowEnd - j0, xCol, p.HeadDim - p0, cs, 0, right, yp, tid, groupSize, tf32);
            }
            else
            {
                SsdTcStager.Stage(
                    new SsdTcColumnWords<T, TOps, Off, TTf32>
                    {
                        View = p.X, Stride = p.XStride, RowStart = start + j0, Rows = rowEnd - j0,
                        Column = xCol, Columns = p.HeadDim - p0, Width = yp,
                    },
                    right, yp * SsdTcLayout.StepWords, tid, groupSize);
            }
            Group.Barrier();
            if (j0 <= warpLastRow)
                acc.Step(left, aWarp, Ld, right, bWarp, Ld, lane, tf32);
            if (j0 + (step / 2) <= warpLastRow)
                acc.Step(left, aWarp + HalfStep, Ld, right, bWarp + HalfStep, Ld, lane, tf32);
        }

        var sink = new SsdTcScanSink<T, TOps, THasD, TDPerChannel, TZ>
        {
            X = p.X, XStride = p.XStride, Z = p.Z, ZStride = p.ZStride, D = p.D, Y = p.Y,
            RowStart = start, I0 = i0 + (wm * MmaWarpTile.Size), RowEnd = rowEnd, Head = h, Heads = p.Heads,
            HeadDim = p.HeadDim, P0 = p0 + (wn * MmaWarpTile.Size),
            DHead = default(THasD).Value && !default(TDPerChannel).Value ? p.D[h] : 0f,
            Pairs = ((p.HeadDim | p.XStride | (default(TZ).Value ? p.ZStride : 0)) & 1) == 0
                && SsdAlignedViews.Has(p.Aligned, SsdAlignedViews.X | SsdAlignedViews.Y | SsdAlignedViews.Z),
        };
        acc.Store(ref sink, lane);
    }

    /// <summary>exp(cs_i), or 1 for a masked row past the chunk.</summary>
    private static float RowScale(ArrayView<float> cs, int i, int q) => i < q ? DeviceMath.Exp(cs[i]) : 1f;
}

/// <summary>
/// The epilogue of <see cref="SsdTcChunkScanKernel"/>: adds D·x, applies the z gate and stores y for
/// the tile elements inside the chunk and the head dim. A lane's two adjacent columns move as one
/// access (x, z and y pairs: 4 bytes of fp16 or 8 of fp32) where P and the strides are even and the
/// views aligned (<see cref="Pairs"/>).
/// </summary>
internal struct SsdTcScanSink<T, TOps, THasD, TDPerChannel, TZ> : IMmaSink
    where T : unmanaged
    where TOps : struct, IElementOps<T>
    where THasD : struct, IFlag
    where TDPerChannel : struct, IFlag
    where TZ : struct, IFlag
{
    public ArrayView<T> X;
    public int XStride;
    public ArrayView<T> Z;
    public int ZStride;
    public ArrayView<float> D;
    public ArrayView<T> Y;
    public int RowStart;
    public int I0;
    public int RowEnd;
    public int Head;
    public int Heads;
    public int HeadDim;
    public int P0;

    /// <summary>Whether x, z and y may be accessed in pairs: P, the x and z strides even, the views aligned.</summary>
    public bool Pairs;

    /// <summary>D of the head (per-head D), read once per group.</summary>
    public float DHead;

    public readonly void StorePair(int row, int column, float first, float second)
    {
        var i = I0 + row;
        var pi = P0 + column;
        if (!Pairs || i >= RowEnd || pi + 1 >= HeadDim)
        {
            Store(row, column, first);
            Store(row, column + 1, second);
            return;
        }
        var t = RowStart + i;
        var y0 = first;
        var y1 = second;
        if (default(THasD).Value)
        {
            var x = SsdTcPairAccess.Load(X, (t * XStride) + (Head * HeadDim) + pi);
            var d0 = default(TDPerChannel).Value ? D[(Head * HeadDim) + pi] : DHead;
            var d1 = default(TDPerChannel).Value ? D[(Head * HeadDim) + pi + 1] : DHead;
            y0 += d0 * x.X;
            y1 += d1 * x.Y;
        }
        if (default(TZ).Value)
        {
            var z = SsdTcPairAccess.Load(Z, (t * ZStride) + (Head * HeadDim) + pi);
            y0 *= DeviceMath.Silu(z.X);
            y1 *= DeviceMath.Silu(z.Y);
        }
        SsdTcPairAccess.Store(Y, (((t * Heads) + Head) * HeadDim) + pi, y0, y1);
    }

    public readonly void Store(int row, int column, float value)
    {
        var i = I0 + row;
        var pi = P0 + column;
        if (i >= RowEnd || pi >= HeadDim) return;
        var t = RowStart + i;
        var y = value;
        if (default(THasD).Value)
        {
            var d = default(TDPerChannel).Value ? D[(Head * HeadDim) + pi] : DHead;
            y += d * default(TOps).ToFloat(X[(t * XStride) + (Head * HeadDim) + pi]);
        }
        if (default(TZ).Value)
            y *= DeviceMath.Silu(default(TOps).ToFloat(Z[(t * ZStride) + (Head * HeadDim) + pi]));
        Y[(((t * Heads) + Head) * HeadDim) + pi] = default(TOps).FromFloat(y);
    }
}
