using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Decode;

/// <summary>The arguments of <see cref="StateUpdateKernel"/>: views plus checked sizes and strides.</summary>
internal struct StateUpdateArgs<TIn, TState>
    where TIn : unmanaged
    where TState : unmanaged
{
    public ArrayView<TState> State;
    public ArrayView<int> Slots;
    public ArrayView<TIn> X;
    public ArrayView<TIn> Dt;
    public ArrayView<float> A;
    public ArrayView<TIn> B;
    public ArrayView<TIn> C;
    public ArrayView<float> D;
    public ArrayView<TIn> Z;
    public ArrayView<float> DtBias;
    public ArrayView<TIn> Y;
    public int Heads;
    public int HeadDim;
    public int StateDim;
    public int HeadsPerGroup;
    public int TilesPerHead;
    public int XStride;
    public int DtStride;
    public int BStride;
    public int CStride;
    public int ZStride;
    public int YStride;
    public float DtMin;
    public float DtMax;

    /// <summary>The device address of <see cref="State"/>'s first element (for inline PTX with cache hints; 0 when unused).</summary>
    public long StateAddress;

    /// <summary>The tiles of the batch (batch × H × tiles per head), read by the multi-tile kernel only.</summary>
    public int Items;

    /// <summary>1 when <see cref="State"/> starts on the alignment of a 4-element vector (16 bytes fp32, 8 fp16).</summary>
    public int StateVectors;
}

/// <summary>
/// The state size N as a type argument when it is not one of the sizes compiled as constants
/// (<see cref="StateUpdateKernel.ConstantStateDim"/>): the kernel then reads N from its arguments.
/// </summary>
internal readonly struct AnyStateDim : IConstant
{
    public int Value => 0;
}

/// <summary>
/// The selective state update (one token per sequence). Group <c>(sequence, head, tile of TP
/// rows)</c>; the L = GS/TP lanes of a row share its N state elements and reduce
/// <c>Σ_n state·C</c> with warp shuffles (through shared memory when L exceeds the warp); lane 0 of
/// each row adds <c>D·x</c>, gates with z and stores y. A padding row (negative slot) returns
/// before touching anything: the slot is the same for the whole group, so no barrier is skipped
/// by part of a group.
/// <para>
/// With N a type-level constant (<c>TN</c>), B and C of the head are staged in
/// shared memory once per group, and when N is a multiple of 4·L and the state is aligned each
/// lane moves whole 4-element vectors (16-byte loads and stores for fp32): lane <c>l</c> owns
/// vectors <c>l, l + L, l + 2L, ...</c> of its row, so a warp's accesses stay contiguous. Up to
/// VP (<c>TVP</c>) vectors per lane are loaded before any is used; the first ones are issued before
/// the barrier that publishes B and C. Other N take a plain loop over the row with stride L.
/// </para>
/// </summary>
internal static class StateUpdateKernel
{
    /// <summary>Above this, softplus(u) is u (as in every Mamba2 kernel).</summary>
    public const float SoftplusThreshold = 20f;

    /// <summary>Whether N is compiled as a constant (unrolled, B and C staged in shared memory).</summary>
    public static bool ConstantStateDim(int n) => n is 16 or 32 or 64 or 128 or 256;

    public static void Run<TIn, TInOps, TState, TStateOps, TStateVec, THasD, TDPerChannel, THasZ, THasBias, TSoftplus, TGroup, TRows, TVP, TN>(
        StateUpdateArgs<TIn, TState> a)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TStateVec : struct, IStateVectors<TState>
        where THasD : struct, IFlag
        where TDPerChannel : struct, IFlag
        where THasZ : struct, IFlag
        where THasBias : struct, IFlag
        where TSoftplus : struct, IFlag
        where TGroup : struct, IConstant
        where TRows : struct, IConstant
        where TVP : struct, IConstant
        where TN : struct, IConstant
    {
        var groupSize = default(TGroup).Value;
        var lanes = groupSize / default(TRows).Value;
        var fixedN = default(TN).Value;
        var partial = SharedMemory.Allocate<float>(groupSize);
        var bs = SharedMemory.Allocate<float>(fixedN > 0 ? fixedN : 1);
        var cs = SharedMemory.Allocate<float>(fixedN > 0 ? fixedN : 1);
        var tid = Group.IdxX;
        var block = Grid.IdxX;
        var tile = block % a.TilesPerHead;
        var rest = block / a.TilesPerHead;
        var h = rest % a.Heads;
        var seq = rest / a.Heads;

        var slot = a.Slots[seq];
        if (slot < 0) return;

        var lane = tid % lanes;
        var p = tile * default(TRows).Value + tid / lanes;
        var rowInHead = p < a.HeadDim;
        var n = fixedN > 0 ? fixedN : a.StateDim;

        // The state loads go out first: nothing before them waits on memory but the slot. A row
        // past P (last tile of a ragged head) reads row P - 1 and stores nothing.
        var stateRow = StateRow(a, slot, h, p, n);
        var vector = fixedN > 0 && fixedN % (4 * lanes) == 0 && a.StateVectors != 0;
        var perPass = StateVectorSets.PerPass(fixedN / (4 * lanes), default(TVP).Value);
        var set = default(StateVectorSet);
        var unused = default(StateVectorSet);
        if (vector) StateVectorSets.Load(a.State, a.StateAddress, default(TStateVec), (stateRow / 4) + lane, lanes, perPass, ref set);

        var dt = ProcessDt<TIn, TInOps, TState, THasBias, TSoftplus>(a, seq, h);
        var dA = DeviceMath.Exp(dt * a.A[h]);
        var channel = h * a.HeadDim + p;
        var x = rowInHead ? default(TInOps).ToFloat(a.X[(long)seq * a.XStride + channel]) : 0f;
        var dtx = dt * x;
        var g = h / a.HeadsPerGroup;
        var bRow = (long)seq * a.BStride + (g * n);
        var cRow = (long)seq * a.CStride + (g * n);

        float acc;
        if (fixedN == 0)
        {
            acc = AnyRow<TIn, TInOps, TState, TStateOps>(a, lane, lanes, rowInHead, stateRow, bRow, cRow, dA, dtx);
        }
        else
        {
            Stage<TIn, TInOps, TState, TGroup>(a, tid, n, bRow, cRow, bs, cs);
            Group.Barrier();
            acc = vector
                ? VectorRow<TState, TStateVec, TVP, TN>(a.State, a.StateAddress, lane, lanes, rowInHead, stateRow, bs, cs, dA, dtx, 0, ref set, ref unused)
                : FixedRow<TState, TStateOps, TN>(a.State, lane, lanes, rowInHead, stateRow, bs, cs, dA, dtx);
        }

        acc = Reduce(acc, tid, lane, lanes, partial);
        if (lane != 0 || !rowInHead) return;
        WriteY<TIn, TInOps, TState, THasD, TDPerChannel, THasZ>(a, seq, h, channel, x, acc);
    }

    /// <summary>The first element of state row <paramref name="p"/> (clamped to P − 1) of head <paramref name="h"/> in cache slot <paramref name="slot"/>.</summary>
    internal static long StateRow<TIn, TState>(StateUpdateArgs<TIn, TState> a, int slot, int h, int p, int n)
        where TIn : unmanaged
        where TState : unmanaged =>
        ((long)slot * a.Heads * a.HeadDim + (h * a.HeadDim) + Math.Min(p, a.HeadDim - 1)) * n;

    /// <summary><c>clamp(softplus?(dt + bias), DtMin, DtMax)</c> of head <paramref name="h"/> of row <paramref name="seq"/>.</summary>
    internal static float ProcessDt<TIn, TInOps, TState, THasBias, TSoftplus>(StateUpdateArgs<TIn, TState> a, int seq, int h)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where THasBias : struct, IFlag
        where TSoftplus : struct, IFlag
    {
        var dt = default(TInOps).ToFloat(a.Dt[(long)seq * a.DtStride + h]);
        if (default(THasBias).Value) dt += a.DtBias[h];
        if (default(TSoftplus).Value && dt <= SoftplusThreshold) dt = DeviceMath.Log(1f + DeviceMath.Exp(dt));
        return MathF.Min(MathF.Max(dt, a.DtMin), a.DtMax);
    }

    /// <summary>
    /// Sums <paramref name="acc"/> over the L lanes of a row: warp shuffles when L fits a warp (the
    /// lanes are consecutive threads), else through shared memory with barriers that every thread
    /// of the group must reach. Lane 0 of the row gets the row's sum.
    /// </summary>
    internal static float Reduce(float acc, int tid, int lane, int lanes, ArrayView<float> partial)
    {
        if (lanes <= Warp.WarpSize)
        {
            for (var offset = lanes / 2; offset > 0; offset /= 2)
                acc += Warp.ShuffleXor(acc, offset);
            return acc;
        }
        partial[tid] = acc;
        Group.Barrier();
        for (var offset = lanes / 2; offset > 0; offset /= 2)
        {
            if (lane < offset) partial[tid] += partial[tid + offset];
            Group.Barrier();
        }
        return partial[tid];
    }

    /// <summary>Adds <c>D·x</c>, gates with z and stores y of one channel.</summary>
    internal static void WriteY<TIn, TInOps, TState, THasD, TDPerChannel, THasZ>(
        StateUpdateArgs<TIn, TState> a, int seq, int h, int channel, float x, float acc)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where THasD : struct, IFlag
        where TDPerChannel : struct, IFlag
        where THasZ : struct, IFlag
    {
        var y = acc;
        if (default(THasD).Value) y += (default(TDPerChannel).Value ? a.D[channel] : a.D[h]) * x;
        if (default(THasZ).Value)
        {
            var z = default(TInOps).ToFloat(a.Z[(long)seq * a.ZStride + channel]);
            y *= z / (1f + DeviceMath.Exp(-z));
        }
        a.Y[(long)seq * a.YStride + channel] = default(TInOps).FromFloat(y);
    }

    /// <summary>N known only at run time: the lanes stride over the row, B and C read from global memory.</summary>
    internal static float AnyRow<TIn, TInOps, TState, TStateOps>(
        StateUpdateArgs<TIn, TState> a, int lane, int lanes, bool rowInHead, long stateRow, long bRow, long cRow, float dA, float dtx)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
    {
        var acc = 0f;
        if (!rowInHead) return acc;
        var inOps = default(TInOps);
        var stOps = default(TStateOps);
        for (var k = lane; k < a.StateDim; k += lanes)
        {
            var s = stOps.ToFloat(a.State[stateRow + k]) * dA + dtx * inOps.ToFloat(a.B[bRow + k]);
            a.State[stateRow + k] = stOps.FromFloat(s);
            acc += s * inOps.ToFloat(a.C[cRow + k]);
        }
        return acc;
    }

    /// <summary>Constant N, element by element (N below 4·L or a state view off the vector alignment); B and C are staged.</summary>
    internal static float FixedRow<TState, TStateOps, TN>(
        ArrayView<TState> state, int lane, int lanes, bool rowInHead, long stateRow,
        ArrayView<float> bs, ArrayView<float> cs, float dA, float dtx)
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TN : struct, IConstant
    {
        var n = default(TN).Value;
        var acc = 0f;
        if (!rowInHead) return acc;
        var stOps = default(TStateOps);
        for (var k = lane; k < n; k += lanes)
        {
            var s = stOps.ToFloat(state[stateRow + k]) * dA + dtx * bs[k];
            state[stateRow + k] = stOps.FromFloat(s);
            acc += s * cs[k];
        }
        return acc;
    }

    /// <summary>
    /// Constant N, a multiple of 4·L, aligned state, B and C staged: each lane updates its
    /// 4-element vectors <c>lane + L·j</c>, VP per pass, loading all of a pass before using any.
    /// The caller has loaded the first pass into <paramref name="set"/>. When
    /// <paramref name="nextRow"/> is not 0, the first pass of the row starting at element
    /// <paramref name="nextRow"/> − 1 is loaded into <paramref name="next"/> just before the last pass
    /// is updated (the next tile's loads overlap this tile's arithmetic and stores).
    /// </summary>
    internal static float VectorRow<TState, TStateVec, TVP, TN>(
        ArrayView<TState> state, long address, int lane, int lanes, bool rowInHead, long stateRow,
        ArrayView<float> bs, ArrayView<float> cs, float dA, float dtx, long nextRow, ref StateVectorSet set, ref StateVectorSet next)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
        where TVP : struct, IConstant
        where TN : struct, IConstant
    {
        var n = default(TN).Value;
        var vectors = n / (4 * lanes);
        var perPass = StateVectorSets.PerPass(vectors, default(TVP).Value);
        var passes = vectors / perPass;
        var vec = default(TStateVec);
        var row = stateRow / 4;
        var b4 = bs.Cast<Float4>().AsAligned(16);
        var c4 = cs.Cast<Float4>().AsAligned(16);
        var acc = 0f;
        for (var pass = 0; pass < passes; pass++)
        {
            var v = lane + (pass * perPass * lanes);
            if (pass > 0) StateVectorSets.Load(state, address, vec, row + v, lanes, perPass, ref set);
            if (pass == passes - 1 && nextRow != 0)
                StateVectorSets.Load(state, address, vec, ((nextRow - 1) / 4) + lane, lanes, perPass, ref next);
            acc += StateVectorSets.Update(state, address, vec, rowInHead, row, v, lanes, perPass, ref set, b4, c4, dA, dtx);
        }
        return acc;
    }

    /// <summary>Copies the head's B and C rows (N values each) into shared memory as fp32; a barrier must follow.</summary>
    internal static void Stage<TIn, TInOps, TState, TGroup>(
        StateUpdateArgs<TIn, TState> a, int tid, int n, long bRow, long cRow, ArrayView<float> bs, ArrayView<float> cs)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TGroup : struct, IConstant
    {
        var inOps = default(TInOps);
        for (var k = tid; k < n; k += default(TGroup).Value)
        {
            bs[k] = inOps.ToFloat(a.B[bRow + k]);
            cs[k] = inOps.ToFloat(a.C[cRow + k]);
        }
    }
}
