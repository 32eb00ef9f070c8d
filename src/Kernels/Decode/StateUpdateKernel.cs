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
/// four vectors per lane are loaded before any is used; the first ones are issued before the
/// barrier that publishes B and C. Other N take a plain loop over the row with stride L.
/// </para>
/// </summary>
internal static class StateUpdateKernel
{
    /// <summary>Above this, softplus(u) is u (as in every Mamba2 kernel).</summary>
    public const float SoftplusThreshold = 20f;

    /// <summary>Most state vectors a lane holds in registers at once (the rest follow in further passes).</summary>
    public const int VectorsPerPass = 4;

    /// <summary>Whether N is compiled as a constant (unrolled, B and C staged in shared memory).</summary>
    public static bool ConstantStateDim(int n) => n is 16 or 32 or 64 or 128 or 256;

    public static void Run<TIn, TInOps, TState, TStateOps, TStateVec, THasD, TDPerChannel, THasZ, THasBias, TSoftplus, TGroup, TRows, TN>(
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
        var stateRow = ((long)slot * a.Heads * a.HeadDim + (h * a.HeadDim) + Math.Min(p, a.HeadDim - 1)) * n;
        var vectors = fixedN / (4 * lanes);
        var vector = fixedN > 0 && fixedN % (4 * lanes) == 0 && a.StateVectors != 0;
        var vec = default(TStateVec);
        Float4 s0 = default, s1 = default, s2 = default, s3 = default;
        if (vector) Load(a.State, vec, (stateRow / 4) + lane, lanes, PerPass(vectors), ref s0, ref s1, ref s2, ref s3);

        var inOps = default(TInOps);
        var dt = inOps.ToFloat(a.Dt[(long)seq * a.DtStride + h]);
        if (default(THasBias).Value) dt += a.DtBias[h];
        if (default(TSoftplus).Value && dt <= SoftplusThreshold) dt = DeviceMath.Log(1f + DeviceMath.Exp(dt));
        dt = MathF.Min(MathF.Max(dt, a.DtMin), a.DtMax);
        var dA = DeviceMath.Exp(dt * a.A[h]);

        var channel = h * a.HeadDim + p;
        var x = rowInHead ? inOps.ToFloat(a.X[(long)seq * a.XStride + channel]) : 0f;
        var dtx = dt * x;
        var g = h / a.HeadsPerGroup;
        var bRow = (long)seq * a.BStride + (g * n);
        var cRow = (long)seq * a.CStride + (g * n);

        float acc;
        if (fixedN == 0)
        {
            acc = AnyRow<TIn, TInOps, TState, TStateOps>(a, lane, lanes, rowInHead, stateRow, bRow, cRow, dA, dtx);
        }
        else if (vector)
        {
            acc = VectorRow<TIn, TInOps, TState, TStateVec, TGroup, TRows, TN>(
                a, tid, rowInHead, stateRow, bRow, cRow, bs, cs, dA, dtx, ref s0, ref s1, ref s2, ref s3);
        }
        else
        {
            acc = FixedRow<TIn, TInOps, TState, TStateOps, TGroup, TRows, TN>(a, tid, rowInHead, stateRow, bRow, cRow, bs, cs, dA, dtx);
        }

        if (lanes <= Warp.WarpSize)
        {
            // The L lanes of a row are consecutive threads of one warp (L is a power of two).
            for (var offset = lanes / 2; offset > 0; offset /= 2)
                acc += Warp.ShuffleXor(acc, offset);
        }
        else
        {
            partial[tid] = acc;
            Group.Barrier();
            for (var offset = lanes / 2; offset > 0; offset /= 2)
            {
                if (lane < offset) partial[tid] += partial[tid + offset];
                Group.Barrier();
            }
            acc = partial[tid];
        }

        if (lane != 0 || !rowInHead) return;
        var y = acc;
        if (default(THasD).Value) y += (default(TDPerChannel).Value ? a.D[channel] : a.D[h]) * x;
        if (default(THasZ).Value)
        {
            var z = inOps.ToFloat(a.Z[(long)seq * a.ZStride + channel]);
            y *= z / (1f + DeviceMath.Exp(-z));
        }
        a.Y[(long)seq * a.YStride + channel] = inOps.FromFloat(y);
    }

    /// <summary>N known only at run time: the lanes stride over the row, B and C read from global memory.</summary>
    private static float AnyRow<TIn, TInOps, TState, TStateOps>(
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

    /// <summary>Constant N, element by element (N below 4·L or a state view off the vector alignment).</summary>
    private static float FixedRow<TIn, TInOps, TState, TStateOps, TGroup, TRows, TN>(
        StateUpdateArgs<TIn, TState> a, int tid, bool rowInHead, long stateRow, long bRow, long cRow,
        ArrayView<float> bs, ArrayView<float> cs, float dA, float dtx)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TGroup : struct, IConstant
        where TRows : struct, IConstant
        where TN : struct, IConstant
    {
        var n = default(TN).Value;
        var lanes = default(TGroup).Value / default(TRows).Value;
        Stage<TIn, TInOps, TState, TGroup>(a, tid, n, bRow, cRow, bs, cs);
        Group.Barrier();

        var acc = 0f;
        if (!rowInHead) return acc;
        var stOps = default(TStateOps);
        for (var k = tid % lanes; k < n; k += lanes)
        {
            var s = stOps.ToFloat(a.State[stateRow + k]) * dA + dtx * bs[k];
            a.State[stateRow + k] = stOps.FromFloat(s);
            acc += s * cs[k];
        }
        return acc;
    }

    /// <summary>
    /// Constant N, a multiple of 4·L, aligned state: each lane updates its 4-element vectors
    /// <c>lane + L·j</c>, at most <see cref="VectorsPerPass"/> per pass, loading all of a pass
    /// before using any. The caller has loaded the first pass into <paramref name="s0"/>..<paramref name="s3"/>.
    /// </summary>
    private static float VectorRow<TIn, TInOps, TState, TStateVec, TGroup, TRows, TN>(
        StateUpdateArgs<TIn, TState> a, int tid, bool rowInHead, long stateRow, long bRow, long cRow,
        ArrayView<float> bs, ArrayView<float> cs, float dA, float dtx, ref Float4 s0, ref Float4 s1, ref Float4 s2, ref Float4 s3)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
        where TGroup : struct, IConstant
        where TRows : struct, IConstant
        where TN : struct, IConstant
    {
        var n = default(TN).Value;
        var lanes = default(TGroup).Value / default(TRows).Value;
        var vectors = n / (4 * lanes);
        var perPass = PerPass(vectors);
        var passes = vectors / perPass;
        var vec = default(TStateVec);
        var row = stateRow / 4;
        var first = tid % lanes;

        Stage<TIn, TInOps, TState, TGroup>(a, tid, n, bRow, cRow, bs, cs);
        Group.Barrier();

        var b4 = bs.Cast<Float4>().AsAligned(16);
        var c4 = cs.Cast<Float4>().AsAligned(16);
        var acc = 0f;
        for (var pass = 0; pass < passes; pass++)
        {
            var v = first + (pass * perPass * lanes);
            if (pass > 0) Load(a.State, vec, row + v, lanes, perPass, ref s0, ref s1, ref s2, ref s3);
            acc += Update(a.State, vec, rowInHead, row + v, ref s0, b4[v], c4[v], dA, dtx);
            if (perPass > 1) acc += Update(a.State, vec, rowInHead, row + v + lanes, ref s1, b4[v + lanes], c4[v + lanes], dA, dtx);
            if (perPass > 2)
            {
                var v2 = v + (2 * lanes);
                var v3 = v + (3 * lanes);
                acc += Update(a.State, vec, rowInHead, row + v2, ref s2, b4[v2], c4[v2], dA, dtx);
                acc += Update(a.State, vec, rowInHead, row + v3, ref s3, b4[v3], c4[v3], dA, dtx);
            }
        }
        return acc;
    }

    /// <summary>State vectors a lane loads per pass: 1, 2 or <see cref="VectorsPerPass"/> (1 when the row has none).</summary>
    private static int PerPass(int vectors) => vectors < 1 ? 1 : vectors < VectorsPerPass ? vectors : VectorsPerPass;

    /// <summary>Loads vectors <c>at, at + stride, ...</c> (<paramref name="count"/> of 1, 2 or 4).</summary>
    private static void Load<TState, TStateVec>(
        ArrayView<TState> state, TStateVec vec, long at, int stride, int count, ref Float4 s0, ref Float4 s1, ref Float4 s2, ref Float4 s3)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
    {
        s0 = vec.Load(state, at);
        if (count > 1) s1 = vec.Load(state, at + stride);
        if (count > 2)
        {
            s2 = vec.Load(state, at + (2 * stride));
            s3 = vec.Load(state, at + (3 * stride));
        }
    }

    /// <summary><c>s ← s·dA + dtx·B</c>, stored back when <paramref name="store"/>; returns <c>s·C</c>.</summary>
    private static float Update<TState, TStateVec>(
        ArrayView<TState> state, TStateVec vec, bool store, long at, ref Float4 s, Float4 b, Float4 c, float dA, float dtx)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
    {
        s.X = (s.X * dA) + (dtx * b.X);
        s.Y = (s.Y * dA) + (dtx * b.Y);
        s.Z = (s.Z * dA) + (dtx * b.Z);
        s.W = (s.W * dA) + (dtx * b.W);
        if (store) vec.Store(state, at, s);
        return (s.X * c.X) + (s.Y * c.Y) + (s.Z * c.Z) + (s.W * c.W);
    }

    /// <summary>Copies the head's B and C rows (N values each) into shared memory as fp32; a barrier must follow.</summary>
    private static void Stage<TIn, TInOps, TState, TGroup>(
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

/// <summary>Four fp32 values: one 16-byte vector of state, B or C.</summary>
internal struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;
}

/// <summary>Four fp16 values: one 8-byte vector of fp16 state.</summary>
internal struct Half4
{
    public Half X;
    public Half Y;
    public Half Z;
    public Half W;
}

/// <summary>Loads and stores 4 consecutive state elements as one vector, widened to fp32.</summary>
/// <typeparam name="TState">The state's storage type.</typeparam>
internal interface IStateVectors<TState>
    where TState : unmanaged
{
    /// <summary>The alignment in bytes a state view needs for these vectors.</summary>
    int Alignment { get; }

    /// <summary>Elements <c>4·vector .. 4·vector + 3</c>.</summary>
    Float4 Load(ArrayView<TState> state, long vector);

    /// <summary>Rounds and stores elements <c>4·vector .. 4·vector + 3</c>.</summary>
    void Store(ArrayView<TState> state, long vector, Float4 value);
}

/// <summary>fp32 state: one 16-byte load or store per vector.</summary>
internal readonly struct F32Vectors : IStateVectors<float>
{
    public int Alignment => 16;

    public Float4 Load(ArrayView<float> state, long vector) => state.Cast<Float4>().AsAligned(16)[vector];

    public void Store(ArrayView<float> state, long vector, Float4 value) => state.Cast<Float4>().AsAligned(16)[vector] = value;
}

/// <summary>fp16 state: one 8-byte load or store per vector.</summary>
internal readonly struct F16Vectors : IStateVectors<Half>
{
    public int Alignment => 8;

    public Float4 Load(ArrayView<Half> state, long vector)
    {
        var h = state.Cast<Half4>().AsAligned(8)[vector];
        return new Float4 { X = (float)h.X, Y = (float)h.Y, Z = (float)h.Z, W = (float)h.W };
    }

    public void Store(ArrayView<Half> state, long vector, Float4 value) =>
        state.Cast<Half4>().AsAligned(8)[vector] = new Half4
        {
            X = (Half)value.X, Y = (Half)value.Y, Z = (Half)value.Z, W = (Half)value.W,
        };
}
