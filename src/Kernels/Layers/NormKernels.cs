using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Layers;

/// <summary>The arguments of one RMSNorm launch.</summary>
internal struct NormArgs
{
    public ArrayView<float> X;
    public ArrayView<float> Gate;
    public ArrayView<float> Weight;
    public ArrayView<float> Out;
    public int Rows;
    public int Width;
    public int GroupSize;
    public int Ldx;
    public int Ldg;
    public int Ldo;
    public float Eps;
}

/// <summary>
/// RMSNorm over groups of a row: <c>out = w · v / sqrt(mean(v²) + eps)</c> with
/// <c>v = x</c>, or <c>v = x · silu(gate)</c> when gated (Mamba2's gated norm, gate applied
/// before normalising). One thread group per (row, norm group); a power-of-two thread count.
/// </summary>
internal static class NormKernels
{
    public static void RmsNorm<TThreads, TGated>(NormArgs args)
        where TThreads : struct, IConstant
        where TGated : struct, IFlag
    {
        var threads = default(TThreads).Value;
        var groupsPerRow = args.Width / args.GroupSize;
        var row = Grid.IdxX / groupsPerRow;
        var start = (Grid.IdxX % groupsPerRow) * args.GroupSize;
        var tid = Group.IdxX;
        var partial = SharedMemory.GetDynamic<float>();

        var sum = 0f;
        for (var i = tid; i < args.GroupSize; i += threads)
        {
            var v = Value<TGated>(args, row, start + i);
            sum += v * v;
        }
        partial[tid] = sum;
        Group.Barrier();
        for (var stride = threads / 2; stride > 0; stride /= 2)
        {
            if (tid < stride) partial[tid] += partial[tid + stride];
            Group.Barrier();
        }
        var scale = 1f / DeviceMath.Sqrt((partial[0] / args.GroupSize) + args.Eps);
        for (var i = tid; i < args.GroupSize; i += threads)
        {
            var c = start + i;
            args.Out[((long)row * args.Ldo) + c] = args.Weight[c] * (Value<TGated>(args, row, c) * scale);
        }
    }

    private static float Value<TGated>(NormArgs args, int row, int c)
        where TGated : struct, IFlag
    {
        var v = args.X[((long)row * args.Ldx) + c];
        if (!default(TGated).Value) return v;
        var g = args.Gate[((long)row * args.Ldg) + c];
        return v * (g / (1f + DeviceMath.Exp(-g)));
    }
}
