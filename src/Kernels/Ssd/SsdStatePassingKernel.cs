using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Decode;
using Half = ILGPU.Half;
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

    /// <summary>1 when P·N is a multiple of 4 and every state view starts on a 4-element vector (16 bytes fp32, 8 fp16).</summary>
    public int Vectors;
}

/// <summary>
/// Stage 3, <c>ssd.state_passing</c> (ssd-spec §3.3, vLLM convention): per sequence, from its
/// initial state or 0, <c>s ← exp(cs_{Q-1})·s + S_c</c> over its chunks in order, writing the
/// state after each chunk and the final state. The running state stays fp32. Each thread owns 4
/// consecutive state elements (one 16-byte fp32 / 8-byte fp16 access each when
/// <see cref="SsdStatePassingParams{TState}.Vectors"/> is set, else 4 element accesses), and the
/// loads of the next two chunks are in flight while a chunk is updated and stored. Grid
/// (nseq, ⌈P·N/(4·PB)⌉, H), groups of PB threads.
/// </summary>
internal static class SsdStatePassingKernel
{
    public const string Id = "ssd.state_passing";

    /// <summary>State elements per thread.</summary>
    public const int ElementsPerThread = 4;

    /// <summary>The groups that cover one head's P·N state elements: <c>⌈P·N/(4·PB)⌉</c>.</summary>
    public static int GroupsPerHead(int statePerHead, int passingBlock) =>
        (statePerHead + (ElementsPerThread * passingBlock) - 1) / (ElementsPerThread * passingBlock);

    /// <summary>Whether the kernel may move whole 4-element vectors: P·N a multiple of 4 and every (non-empty) view aligned.</summary>
    public static bool CanUseVectors<TState>(
        int statePerHead, ArrayView<float> chunkStates, ArrayView<TState> passed, ArrayView<TState> initial, ArrayView<TState> final)
        where TState : unmanaged
    {
        var bytes = Interop.SizeOf<TState>() * ElementsPerThread;
        return statePerHead % ElementsPerThread == 0
            && ViewAlignment.IsAligned(chunkStates, 16) && ViewAlignment.IsAligned(passed, bytes)
            && ViewAlignment.IsAligned(initial, bytes) && ViewAlignment.IsAligned(final, bytes);
    }

    public static void Kernel<TState, TStateOps, TInit, TQ, TPB>(SsdStatePassingParams<TState> p)
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TInit : struct, IFlag
        where TQ : struct, IConstant
        where TPB : struct, IConstant
    {
        var s = Grid.IdxX;
        var e = ElementsPerThread * ((Grid.IdxY * default(TPB).Value) + Group.IdxX);
        var h = Grid.IdxZ;
        if (e >= p.StatePerHead) return;
        var q = default(TQ).Value;
        var vector = p.Vectors != 0;
        var count = Math.Min(ElementsPerThread, p.StatePerHead - e);
        var seqIndex = (((long)((s * p.Heads) + h)) * p.StatePerHead) + e;
        var state = default(TInit).Value ? LoadState<TState, TStateOps>(p.InitialStates, seqIndex, vector, count) : default;
        var last = p.FirstChunk[s + 1];
        var c = p.FirstChunk[s];
        // Loads run two chunks ahead of the update: they do not depend on the running state, so
        // each round trip to memory is shared by three chunks' worth of loads in flight.
        var dACol = (h * p.Chunks * q) + q - 1;
        var stride = (long)p.Heads * p.StatePerHead;
        var index = ((((long)c * p.Heads) + h) * p.StatePerHead) + e;
        var total0 = 0f;
        var total1 = 0f;
        Float4 s0 = default, s1 = default;
        if (c < last)
        {
            total0 = p.DACumsum[dACol + (c * q)];
            s0 = LoadF32(p.ChunkStates, index, vector, count);
        }
        if (c + 1 < last)
        {
            total1 = p.DACumsum[dACol + ((c + 1) * q)];
            s1 = LoadF32(p.ChunkStates, index + stride, vector, count);
        }
        for (; c < last; c++)
        {
            var total2 = 0f;
            Float4 s2 = default;
            if (c + 2 < last)
            {
                total2 = p.DACumsum[dACol + ((c + 2) * q)];
                s2 = LoadF32(p.ChunkStates, index + (2 * stride), vector, count);
            }
            var scale = DeviceMath.Exp(total0);
            state.X = (scale * state.X) + s0.X;
            state.Y = (scale * state.Y) + s0.Y;
            state.Z = (scale * state.Z) + s0.Z;
            state.W = (scale * state.W) + s0.W;
            StoreState<TState, TStateOps>(p.PassedStates, index, vector, count, state);
            total0 = total1;
            total1 = total2;
            s0 = s1;
            s1 = s2;
            index += stride;
        }
        StoreState<TState, TStateOps>(p.FinalStates, seqIndex, vector, count, state);
    }

    /// <summary>Elements <c>at .. at + count − 1</c> of an fp32 view (one 16-byte load when <paramref name="vector"/>).</summary>
    private static Float4 LoadF32(ArrayView<float> view, long at, bool vector, int count)
    {
        if (vector) return view.Cast<Float4>().AsAligned(16)[at / ElementsPerThread];
        var v = default(Float4);
        v.X = view[at];
        if (count > 1) v.Y = view[at + 1];
        if (count > 2) v.Z = view[at + 2];
        if (count > 3) v.W = view[at + 3];
        return v;
    }

    /// <summary>Elements <c>at .. at + count − 1</c> of a state view, widened to fp32.</summary>
    private static Float4 LoadState<TState, TStateOps>(ArrayView<TState> view, long at, bool vector, int count)
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
    {
        if (vector && Interop.SizeOf<TState>() == 4) return view.Cast<Float4>().AsAligned(16)[at / ElementsPerThread];
        if (vector)
        {
            var half = view.Cast<Half4>().AsAligned(8)[at / ElementsPerThread];
            return new Float4 { X = (float)half.X, Y = (float)half.Y, Z = (float)half.Z, W = (float)half.W };
        }
        var ops = default(TStateOps);
        var v = default(Float4);
        v.X = ops.ToFloat(view[at]);
        if (count > 1) v.Y = ops.ToFloat(view[at + 1]);
        if (count > 2) v.Z = ops.ToFloat(view[at + 2]);
        if (count > 3) v.W = ops.ToFloat(view[at + 3]);
        return v;
    }

    /// <summary>Rounds and stores elements <c>at .. at + count − 1</c> of a state view.</summary>
    private static void StoreState<TState, TStateOps>(ArrayView<TState> view, long at, bool vector, int count, Float4 v)
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
    {
        if (vector && Interop.SizeOf<TState>() == 4)
        {
            view.Cast<Float4>().AsAligned(16)[at / ElementsPerThread] = v;
            return;
        }
        if (vector)
        {
            view.Cast<Half4>().AsAligned(8)[at / ElementsPerThread] = new Half4
            {
                X = (Half)v.X, Y = (Half)v.Y, Z = (Half)v.Z, W = (Half)v.W,
            };
            return;
        }
        var ops = default(TStateOps);
        view[at] = ops.FromFloat(v.X);
        if (count > 1) view[at + 1] = ops.FromFloat(v.Y);
        if (count > 2) view[at + 2] = ops.FromFloat(v.Z);
        if (count > 3) view[at + 3] = ops.FromFloat(v.W);
    }
}
