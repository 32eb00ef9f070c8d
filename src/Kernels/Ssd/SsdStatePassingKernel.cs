using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The arguments of <c>ssd.state_passing</c>.</summary>
internal struct SsdStatePassingParams<TState>
    where TState : unmanaged
{
    public ArrayView<float> ChunkStates;
    public ArrayView<float> DACumsum;
    public ArrayView<int> FirstChunk;
    public ArrayView<TState> InitialStates;

    /// <summary>Out: the state after each chunk, chunks × H × P × N, in the state dtype.</summary>
    public ArrayView<TState> PassedStates;

    /// <summary>Out: the state after each sequence, nseq × H × P × N.</summary>
    public ArrayView<TState> FinalStates;
    public int Heads;
    public int StatePerHead;
    public int Chunks;
}

/// <summary>
/// Stage 3, <c>ssd.state_passing</c> (ssd-spec §3.3, vLLM convention): per sequence, from its
/// initial state or 0, <c>s ← exp(cs_{Q-1})·s + S_c</c> over its chunks in order, writing the
/// state after each chunk and the final state. The running state stays fp32. Grid
/// (nseq, ⌈P·N/PB⌉, H), groups of PB threads, one state element per thread.
/// </summary>
internal static class SsdStatePassingKernel
{
    public const string Id = "ssd.state_passing";

    public static void Kernel<TState, TStateOps, TInit, TQ, TPB>(SsdStatePassingParams<TState> p)
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TInit : struct, IFlag
        where TQ : struct, IConstant
        where TPB : struct, IConstant
    {
        var s = Grid.IdxX;
        var e = (Grid.IdxY * default(TPB).Value) + Group.IdxX;
        var h = Grid.IdxZ;
        if (e >= p.StatePerHead) return;
        var q = default(TQ).Value;
        var seqIndex = (((s * p.Heads) + h) * p.StatePerHead) + e;
        var state = default(TInit).Value ? default(TStateOps).ToFloat(p.InitialStates[seqIndex]) : 0f;
        var last = p.FirstChunk[s + 1];
        var c = p.FirstChunk[s];
        // Loads of chunk c+1 are issued before chunk c's state is stored: they do not depend on it,
        // so the loop's latency is one load round trip per two chunks instead of one per chunk.
        var dACol = (h * p.Chunks * q) + q - 1;
        var stride = p.Heads * p.StatePerHead;
        var index = (((c * p.Heads) + h) * p.StatePerHead) + e;
        var total = p.DACumsum[dACol + (c * q)];
        var contribution = p.ChunkStates[index];
        for (; c < last; c++)
        {
            var nextTotal = 0f;
            var nextContribution = 0f;
            if (c + 1 < last)
            {
                nextTotal = p.DACumsum[dACol + ((c + 1) * q)];
                nextContribution = p.ChunkStates[index + stride];
            }
            state = (DeviceMath.Exp(total) * state) + contribution;
            p.PassedStates[index] = default(TStateOps).FromFloat(state);
            total = nextTotal;
            contribution = nextContribution;
            index += stride;
        }
        p.FinalStates[seqIndex] = default(TStateOps).FromFloat(state);
    }
}
