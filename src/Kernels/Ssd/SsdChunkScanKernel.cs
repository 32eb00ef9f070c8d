using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The arguments of <c>ssd.chunk_scan</c>.</summary>
internal struct SsdChunkScanParams<T, TState>
    where T : unmanaged
    where TState : unmanaged
{
    public ArrayView<T> X;
    public int XStride;
    public ArrayView<T> C;
    public int CStride;
    public ArrayView<T> Z;
    public int ZStride;
    public ArrayView<float> D;
    public ArrayView<int> ChunkStart;
    public ArrayView<int> ChunkLength;
    public ArrayView<int> ChunkSequence;
    public ArrayView<int> FirstChunk;
    public ArrayView<float> DtOut;
    public ArrayView<float> DACumsum;
    public ArrayView<float> CB;
    public ArrayView<TState> PassedStates;
    public ArrayView<TState> InitialStates;

    /// <summary>Out: y, T × H × P.</summary>
    public ArrayView<T> Y;
    public int Heads;
    public int HeadDim;
    public int StateSize;
    public int Groups;
    public int HeadsPerGroup;
    public int Chunks;
    public int TilesP;

    /// <summary>Which input views start on a 16-byte boundary (<see cref="SsdAlignedViews"/>).</summary>
    public int Aligned;
}

/// <summary>
/// Stage 5, <c>ssd.chunk_scan</c> (ssd-spec §3.5, vLLM convention): row i of chunk c gets
/// <c>exp(cs_i)·C_i·h_prev + Σ_{j≤i} CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j·x_j</c>, plus D·x_i,
/// gated by <c>z·σ(z)</c>. h_prev is the passed state of chunk c−1, or at a sequence's first
/// chunk its initial state (or 0). Grid (chunks, ⌈Q/YT⌉·⌈P/YP⌉, H); each group owns a YT × YP
/// tile of y and computes it as two shared-memory tiled products with 8 × 8 register micro-tiles
/// (<see cref="SsdMicroTile"/>): first C·h_prevᵀ over N (then each row scaled by exp(cs_i)),
/// then W·x over j, where the weights W (CB, decay and dt, causal mask) are computed once per
/// group and step.
/// </summary>
internal static class SsdChunkScanKernel
{
    public const string Id = "ssd.chunk_scan";

    /// <summary>Reduction elements (n or j) staged per step (fewer when Q is smaller).</summary>
    public const int StepSize = 32;

    /// <summary>Row padding of the transposed shared tiles (keeps stores conflict-free).</summary>
    private const int Pad = 1;

    /// <summary>Threads per group of a config.</summary>
    public static int GroupSize(SsdPrefillConfig config) =>
        SsdMicroTile.Threads(config.ScanTileRows) * SsdMicroTile.Threads(config.ScanTileP);

    public static void Kernel<T, TOps, TState, TStateOps, THasD, TDPerChannel, TZ, TInit, TQ, TYT, TYP>(
        SsdChunkScanParams<T, TState> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
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
        const int M = SsdMicroTile.Size;
        var q = default(TQ).Value;
        var yt = default(TYT).Value;
        var yp = default(TYP).Value;
        var kb = StepSize;
        var threadsP = yp >= M ? yp / M : 1;
        var threadsI = yt >= M ? yt / M : 1;
        var groupSize = threadsP * threadsI;
        var tid = Group.IdxX;
        var tpi = tid % threadsP;
        var ti = tid / threadsP;
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var cs = SharedMemory.Allocate<float>(default(TQ).Value);
        var dts = SharedMemory.Allocate<float>(default(TQ).Value);
        // Transposed tiles [k][row], rows padded; + M·M so masked micro-tile lanes past a small tile stay in bounds.
        var left = SharedMemory.Allocate<float>((StepSize * (default(TYT).Value + Pad)) + (M * M));
        var right = SharedMemory.Allocate<float>((StepSize * (default(TYP).Value + Pad)) + (M * M));
        var ldl = yt + Pad;
        var ldr = yp + Pad;

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
        var acc = default(SsdTile8);

        // Off-diagonal: C rows · the state entering the chunk (P × N, n contiguous), over N.
        var sequence = p.ChunkSequence[c];
        var first = p.FirstChunk[sequence] == c;
        if (!first || default(TInit).Value)
        {
            var stateBase = first
                ? ((sequence * p.Heads) + h) * p.HeadDim * n
                : (((c - 1) * p.Heads) + h) * p.HeadDim * n;
            var states = first ? p.InitialStates : p.PassedStates;
            for (var n0 = 0; n0 < n; n0 += kb)
            {
                Group.Barrier();
                SsdTileStager.Stage(
                    new SsdRowsSource<T, TOps, On, Off>
                    {
                        View = p.C, Stride = p.CStride, RowStart = start + i0, Rows = rowEnd - i0,
                        Column = (g * n) + n0, Columns = n - n0, Width = kb, Ld = ldl,
                    },
                    left, kb * yt, tid, groupSize);
                SsdTileStager.Stage(
                    new SsdStateSource<TState, TStateOps>
                    {
                        View = states, Base = stateBase + (p0 * n) + n0, RowStride = n, Rows = p.HeadDim - p0,
                        Columns = n - n0, Width = kb, Ld = ldr,
                    },
                    right, kb * yp, tid, groupSize);
                Group.Barrier();
                for (var k = 0; k < kb; k++)
                    acc.Fma(SsdVec8.Load(left, (k * ldl) + ti, threadsI), SsdVec8.Load(right, (k * ldr) + tpi, threadsP));
            }
            SsdVec8 scale;
            scale.V0 = RowScale(cs, i0 + ti, q);
            scale.V1 = RowScale(cs, i0 + ti + threadsI, q);
            scale.V2 = RowScale(cs, i0 + ti + (2 * threadsI), q);
            scale.V3 = RowScale(cs, i0 + ti + (3 * threadsI), q);
            scale.V4 = RowScale(cs, i0 + ti + (4 * threadsI), q);
            scale.V5 = RowScale(cs, i0 + ti + (5 * threadsI), q);
            scale.V6 = RowScale(cs, i0 + ti + (6 * threadsI), q);
            scale.V7 = RowScale(cs, i0 + ti + (7 * threadsI), q);
            acc.ScaleRows(scale);
        }

        // Diagonal: W[i,j] = CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j for j ≤ i, times x_j, over j < rowEnd.
        var cbBase = ((c * p.Groups) + g) * q;
        var xCol = (h * p.HeadDim) + p0;
        for (var j0 = 0; j0 < rowEnd; j0 += kb)
        {
            Group.Barrier();
            SsdTileStager.Stage(
                new SsdWeightSource
                {
                    CB = p.CB, Cs = cs, Dt = dts, CBBase = cbBase, Q = q, I0 = i0, J0 = j0, RowEnd = rowEnd,
                    Width = kb, Ld = ldl,
                },
                left, kb * yt, tid, groupSize);
            SsdTileStager.Stage(
                new SsdRowsSource<T, TOps, Off, Off>
                {
                    View = p.X, Stride = p.XStride, RowStart = start + j0, Rows = rowEnd - j0,
                    Column = xCol, Columns = p.HeadDim - p0, Width = yp, Ld = ldr,
                },
                right, kb * yp, tid, groupSize);
            Group.Barrier();
            for (var k = 0; k < kb; k++)
                acc.Fma(SsdVec8.Load(left, (k * ldl) + ti, threadsI), SsdVec8.Load(right, (k * ldr) + tpi, threadsP));
        }

        for (var r = 0; r < M; r++)
        {
            var il = ti + (r * threadsI);
            var i = i0 + il;
            if (il >= yt || i >= rowEnd) continue;
            var row = acc.Row(r);
            var t = start + i;
            for (var k = 0; k < M; k++)
            {
                var pl = tpi + (k * threadsP);
                var pi = p0 + pl;
                if (pl >= yp || pi >= p.HeadDim) continue;
                var y = row.Get(k);
                if (default(THasD).Value)
                {
                    var d = default(TDPerChannel).Value ? p.D[(h * p.HeadDim) + pi] : p.D[h];
                    y += d * default(TOps).ToFloat(p.X[(t * p.XStride) + (h * p.HeadDim) + pi]);
                }
                if (default(TZ).Value)
                    y *= DeviceMath.Silu(default(TOps).ToFloat(p.Z[(t * p.ZStride) + (h * p.HeadDim) + pi]));
                p.Y[(((t * p.Heads) + h) * p.HeadDim) + pi] = default(TOps).FromFloat(y);
            }
        }
    }

    /// <summary>exp(cs_i), or 1 for a masked row past the chunk.</summary>
    private static float RowScale(ArrayView<float> cs, int i, int q) => i < q ? DeviceMath.Exp(cs[i]) : 1f;
}
