using ILGPU;
using WarmGate.Kernels.Numerics;

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
}

/// <summary>
/// The selective state update (one token per sequence). Group <c>(sequence, head, tile of TP
/// rows)</c>; the GS/TP lanes of a row stride over N, update the state in place and reduce
/// <c>Σ_n state·C</c> through shared memory; lane 0 of each row adds <c>D·x</c>, gates with z and
/// stores y. A padding row (negative slot) returns before touching anything: the slot is the
/// same for the whole group, so no barrier is skipped by part of a group.
/// </summary>
internal static class StateUpdateKernel
{
    /// <summary>Above this, softplus(u) is u (as in every Mamba2 kernel).</summary>
    public const float SoftplusThreshold = 20f;

    public static void Run<TIn, TInOps, TState, TStateOps, THasD, TDPerChannel, THasZ, THasBias, TSoftplus, TGroup, TRows>(
        StateUpdateArgs<TIn, TState> a)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where THasD : struct, IFlag
        where TDPerChannel : struct, IFlag
        where THasZ : struct, IFlag
        where THasBias : struct, IFlag
        where TSoftplus : struct, IFlag
        where TGroup : struct, IConstant
        where TRows : struct, IConstant
    {
        var partial = SharedMemory.Allocate<float>(default(TGroup).Value);
        var lanes = default(TGroup).Value / default(TRows).Value;
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
        var inOps = default(TInOps);
        var stOps = default(TStateOps);

        var dt = inOps.ToFloat(a.Dt[(long)seq * a.DtStride + h]);
        if (default(THasBias).Value) dt += a.DtBias[h];
        if (default(TSoftplus).Value && dt <= SoftplusThreshold) dt = DeviceMath.Log(1f + DeviceMath.Exp(dt));
        dt = MathF.Min(MathF.Max(dt, a.DtMin), a.DtMax);
        var dA = DeviceMath.Exp(dt * a.A[h]);

        var channel = h * a.HeadDim + p;
        var acc = 0f;
        var x = 0f;
        if (rowInHead)
        {
            x = inOps.ToFloat(a.X[(long)seq * a.XStride + channel]);
            var dtx = dt * x;
            var g = h / a.HeadsPerGroup;
            var bRow = (long)seq * a.BStride + (long)g * a.StateDim;
            var cRow = (long)seq * a.CStride + (long)g * a.StateDim;
            var stateRow = ((long)slot * a.Heads * a.HeadDim + channel) * a.StateDim;
            for (var n = lane; n < a.StateDim; n += lanes)
            {
                var s = stOps.ToFloat(a.State[stateRow + n]) * dA + dtx * inOps.ToFloat(a.B[bRow + n]);
                a.State[stateRow + n] = stOps.FromFloat(s);
                acc += s * inOps.ToFloat(a.C[cRow + n]);
            }
        }

        partial[tid] = acc;
        Group.Barrier();
        for (var offset = lanes / 2; offset > 0; offset /= 2)
        {
            if (lane < offset) partial[tid] += partial[tid + offset];
            Group.Barrier();
        }

        if (lane != 0 || !rowInHead) return;
        var y = partial[tid];
        if (default(THasD).Value) y += (default(TDPerChannel).Value ? a.D[channel] : a.D[h]) * x;
        if (default(THasZ).Value)
        {
            var z = inOps.ToFloat(a.Z[(long)seq * a.ZStride + channel]);
            y *= z / (1f + DeviceMath.Exp(-z));
        }
        a.Y[(long)seq * a.YStride + channel] = inOps.FromFloat(y);
    }
}
