using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Layers;

/// <summary>
/// RMSNorm as in transformers' <c>Mamba2RMSNorm</c>, and the gated, grouped variant of the
/// Mamba2 mixer (<c>MambaRMSNormGated</c>: multiply by silu(gate), then normalise each group of
/// <c>width / groups</c> channels). Not tuned: one fixed thread count per device kind.
/// </summary>
public sealed class RmsNorm
{
    /// <summary>The kernel id of the plain norm.</summary>
    public const string PlainKernelId = "norm.rms";

    /// <summary>The kernel id of the gated, grouped norm.</summary>
    public const string GatedKernelId = "norm.rms_gated";

    private static readonly MethodInfo Definition =
        typeof(NormKernels).GetMethod(nameof(NormKernels.RmsNorm), BindingFlags.Public | BindingFlags.Static)!;

    private readonly KernelRegistry registry;
    private readonly MethodInfo plain;
    private readonly MethodInfo gated;
    private readonly int threads;

    /// <summary>Creates the norm kernels on <paramref name="registry"/>.</summary>
    public RmsNorm(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        threads = registry.Accelerator.AcceleratorType == AcceleratorType.Cuda ? 128 : 16;
        plain = Definition.MakeGenericMethod(TypeConstants.Constant(threads), typeof(Off));
        gated = Definition.MakeGenericMethod(TypeConstants.Constant(threads), typeof(On));
    }

    /// <summary>Normalises each row of <paramref name="x"/> (rows × width, row stride <paramref name="ldx"/>) into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A size does not match; nothing was launched.</exception>
    public void Run(
        ArrayView<float> x, int rows, int width, int ldx, ArrayView<float> weight, float eps,
        ArrayView<float> output, int ldo) =>
        Launch(PlainKernelId, plain, x, rows, width, ldx, ArrayView<float>.Empty, 0, 1, weight, eps, output, ldo);

    /// <summary>
    /// Computes <c>w · v / rms(v)</c> per group of <c>width / groups</c> channels, with
    /// <c>v = x · silu(gate)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A size does not match or width is not divisible by groups; nothing was launched.</exception>
    public void RunGated(
        ArrayView<float> x, int rows, int width, int ldx, ArrayView<float> gate, int ldg, int groups,
        ArrayView<float> weight, float eps, ArrayView<float> output, int ldo) =>
        Launch(GatedKernelId, gated, x, rows, width, ldx, gate, ldg, groups, weight, eps, output, ldo);

    private void Launch(
        string id, MethodInfo method, ArrayView<float> x, int rows, int width, int ldx,
        ArrayView<float> gate, int ldg, int groups, ArrayView<float> weight, float eps,
        ArrayView<float> output, int ldo)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (width % groups != 0)
            throw new ArgumentException($"Width {width} is not divisible by {groups} norm groups.", nameof(groups));
        if (weight.Length != width)
            throw new ArgumentException($"Norm weight must have {width} elements; it has {weight.Length}.", nameof(weight));
        Views.RequireRows(x, rows, width, ldx, nameof(x));
        Views.RequireRows(output, rows, width, ldo, nameof(output));
        if (gate.Length > 0 || id == GatedKernelId)
            Views.RequireRows(gate, rows, width, ldg, nameof(gate));
        if (rows == 0) return;
        var launcher = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, NormArgs>>(
            id, method, $"width={width},groups={groups}", $"threads={threads}");
        launcher(
            registry.Accelerator.DefaultStream,
            new KernelConfig(rows * groups, threads, SharedMemoryConfig.RequestDynamic<float>(threads)),
            new NormArgs
            {
                X = x, Gate = gate.Length > 0 ? gate : x, Weight = weight, Out = output,
                Rows = rows, Width = width, GroupSize = width / groups,
                Ldx = ldx, Ldg = gate.Length > 0 ? ldg : ldx, Ldo = ldo, Eps = eps,
            });
    }
}
