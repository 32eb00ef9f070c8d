using System.Runtime.CompilerServices;
using ILGPU;

namespace WarmGate.Kernels.Numerics;

/// <summary>
/// exp, log and sqrt for every WarmGate kernel. ILGPU's PTX backend has no intrinsic for <c>MathF.Exp</c> or
/// <c>MathF.Log</c> without ILGPU.Algorithms, but it maps the base-2 intrinsics to the hardware
/// <c>ex2.approx.f32</c> and <c>lg2.approx.f32</c> (about 2 ulp); on the CPU accelerator they
/// run as ordinary .NET math.
/// </summary>
internal static class DeviceMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2 = 0.693147180559945309f;

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => IntrinsicMath.CPUOnly.Exp2(x * Log2E);

    /// <summary>√x (PTX <c>sqrt.rn.f32</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float x) => IntrinsicMath.CPUOnly.Sqrt(x);

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x) => IntrinsicMath.CPUOnly.Log2(x) * Ln2;

    /// <summary>The threshold-20 softplus: <c>u &gt; 20 ? u : ln(1 + e^u)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float u) => u > 20f ? u : Log(1f + Exp(u));

    /// <summary>The gate <c>z·σ(z)</c> (SiLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Silu(float z) => z / (1f + Exp(-z));
}
