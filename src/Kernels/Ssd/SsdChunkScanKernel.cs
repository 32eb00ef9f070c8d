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
}

/// <summary>
/// Stage 5, <c>ssd.chunk_scan</c> (ssd-spec §3.5, vLLM convention): row i of chunk c gets
/// <c>exp(cs_i)·C_i·h_prev + Σ_{j≤i} CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j·x_j</c>, plus D·x_i,
/// gated by <c>z·σ(z)</c>. h_prev is the passed state of chunk c−1, or at a sequence's first
/// chunk its initial state (or 0). Grid (chunks, ⌈Q/YT⌉·⌈P/YP⌉, H); groups of YT·YP threads,
/// one (row, p) per thread (p fastest), with the chunk's cs and dt staged in shared memory.
/// </summary>
internal static class SsdChunkScanKernel
{
    public const string Id = "ssd.chunk_scan";

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
        var q = default(TQ).Value;
        var yp = default(TYP).Value;
        var groupSize = default(TYT).Value * yp;
        var tid = Group.IdxX;
        var c = Grid.IdxX;
        var h = Grid.IdxZ;
        var cs = SharedMemory.Allocate<float>(default(TQ).Value);
        var dts = SharedMemory.Allocate<float>(default(TQ).Value);

        var dtBase = ((h * p.Chunks) + c) * q;
        for (var l = tid; l < q; l += groupSize)
        {
            cs[l] = p.DACumsum[dtBase + l];
            dts[l] = p.DtOut[dtBase + l];
        }
        Group.Barrier();

        var tileI = Grid.IdxY / p.TilesP;
        var tileP = Grid.IdxY - (tileI * p.TilesP);
        var i = (tileI * default(TYT).Value) + (tid / yp);
        var pi = (tileP * yp) + (tid % yp);
        var length = p.ChunkLength[c];
        if (i >= length || pi >= p.HeadDim) return;

        var start = p.ChunkStart[c];
        var t = start + i;
        var g = h / p.HeadsPerGroup;
        var n = p.StateSize;
        var csI = cs[i];

        // Off-diagonal: the state entering the chunk, read through C_i.
        var off = 0f;
        var sequence = p.ChunkSequence[c];
        var first = p.FirstChunk[sequence] == c;
        var cRow = (t * p.CStride) + (g * n);
        if (!first)
        {
            var prev = ((((c - 1) * p.Heads) + h) * p.HeadDim + pi) * n;
            for (var k = 0; k < n; k++)
                off += default(TOps).ToFloat(p.C[cRow + k]) * default(TStateOps).ToFloat(p.PassedStates[prev + k]);
        }
        else if (default(TInit).Value)
        {
            var init = (((sequence * p.Heads) + h) * p.HeadDim + pi) * n;
            for (var k = 0; k < n; k++)
                off += default(TOps).ToFloat(p.C[cRow + k]) * default(TStateOps).ToFloat(p.InitialStates[init + k]);
        }
        var acc = off * DeviceMath.Exp(csI);

        // Diagonal: the causal attention-like part inside the chunk.
        var cbRow = ((((c * p.Groups) + g) * q) + i) * q;
        var xCol = (h * p.HeadDim) + pi;
        for (var j = 0; j <= i; j++)
        {
            var x = default(TOps).ToFloat(p.X[((start + j) * p.XStride) + xCol]);
            acc += p.CB[cbRow + j] * DeviceMath.Exp(MathF.Min(csI - cs[j], 0f)) * dts[j] * x;
        }

        if (default(THasD).Value)
        {
            var d = default(TDPerChannel).Value ? p.D[xCol] : p.D[h];
            acc += d * default(TOps).ToFloat(p.X[(t * p.XStride) + xCol]);
        }
        if (default(TZ).Value)
        {
            var z = default(TOps).ToFloat(p.Z[(t * p.ZStride) + xCol]);
            acc *= DeviceMath.Silu(z);
        }
        p.Y[(((t * p.Heads) + h) * p.HeadDim) + pi] = default(TOps).FromFloat(acc);
    }
}
