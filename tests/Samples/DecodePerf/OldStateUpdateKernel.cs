using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Samples.DecodePerf;

/// <summary>The arguments of <see cref="OldStateUpdateKernel"/> (a copy of the library's before the rewrite).</summary>
public struct OldArgs
{
    public ArrayView<float> State;
    public ArrayView<int> Slots;
    public ArrayView<float> X;
    public ArrayView<float> Dt;
    public ArrayView<float> A;
    public ArrayView<float> B;
    public ArrayView<float> C;
    public ArrayView<float> D;
    public ArrayView<float> Z;
    public ArrayView<float> DtBias;
    public ArrayView<float> Y;
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
/// The baseline: the state-update kernel as it was in commit f1adc17 (scalar loop over N with
/// stride GS/TP, shared-memory tree reduction), for the fp32 Mamba2 path (D per head, dt bias,
/// softplus, no z), so that old and new are timed on the same machine in the same run.
/// </summary>
public static class OldStateUpdateKernel
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2 = 0.693147180559945309f;

    private static float Exp(float x) => IntrinsicMath.CPUOnly.Exp2(x * Log2E);

    private static float Log(float x) => IntrinsicMath.CPUOnly.Log2(x) * Ln2;

    public static void Run<TGroup, TRows>(OldArgs a)
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

        var dt = a.Dt[(long)seq * a.DtStride + h];
        dt += a.DtBias[h];
        if (dt <= 20f) dt = Log(1f + Exp(dt));
        dt = MathF.Min(MathF.Max(dt, a.DtMin), a.DtMax);
        var dA = Exp(dt * a.A[h]);

        var channel = h * a.HeadDim + p;
        var acc = 0f;
        var x = 0f;
        if (rowInHead)
        {
            x = a.X[(long)seq * a.XStride + channel];
            var dtx = dt * x;
            var g = h / a.HeadsPerGroup;
            var bRow = (long)seq * a.BStride + (long)g * a.StateDim;
            var cRow = (long)seq * a.CStride + (long)g * a.StateDim;
            var stateRow = ((long)slot * a.Heads * a.HeadDim + channel) * a.StateDim;
            for (var n = lane; n < a.StateDim; n += lanes)
            {
                var s = a.State[stateRow + n] * dA + dtx * a.B[bRow + n];
                a.State[stateRow + n] = s;
                acc += s * a.C[cRow + n];
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
        var y = partial[tid] + a.D[h] * x;
        a.Y[(long)seq * a.YStride + channel] = y;
    }

    /// <summary>Compiles the baseline for one tiling through <paramref name="registry"/> and returns its launcher.</summary>
    public static Action<AcceleratorStream, KernelConfig, OldArgs> Load(KernelRegistry registry, int groupSize, int rows)
    {
        var method = typeof(OldStateUpdateKernel).GetMethod(nameof(Run))!
            .MakeGenericMethod(TypeConstants.Constant(groupSize), TypeConstants.Constant(rows));
        return registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, OldArgs>>(
            "decodeperf.old_state_update", method, "H=80,P=64,G=1,N=128,in=f32,st=f32", $"GS={groupSize},TP={rows}");
    }
}
