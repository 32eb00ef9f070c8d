using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Layers;

/// <summary>Embedding lookup and residual add, compiled through the registry.</summary>
public sealed class Elementwise
{
    /// <summary>The kernel id of the embedding gather.</summary>
    public const string GatherKernelId = "embedding.gather";

    /// <summary>The kernel id of the residual add.</summary>
    public const string AddKernelId = "elementwise.add";

    private readonly KernelRegistry registry;
    private readonly int groupSize;

    /// <summary>Creates the kernels on <paramref name="registry"/>.</summary>
    public Elementwise(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        groupSize = Math.Min(256, registry.Accelerator.MaxNumThreadsPerGroup);
    }

    /// <summary>Copies row <c>ids[t]</c> of the vocab × width <paramref name="table"/> into row t of <paramref name="output"/>.</summary>
    /// <param name="table">The embedding table, vocab × width.</param>
    /// <param name="vocab">Rows of the table.</param>
    /// <param name="width">Columns of the table.</param>
    /// <param name="ids">Token ids on the device.</param>
    /// <param name="hostIds">The same ids on the host, checked against the vocabulary before launch.</param>
    /// <param name="output">tokens × width.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, vocab).</exception>
    public void Gather(ArrayView<float> table, int vocab, int width, ArrayView<int> ids, ReadOnlySpan<int> hostIds, ArrayView<float> output)
    {
        if (table.Length != (long)vocab * width)
            throw new ArgumentException($"Embedding table must be {vocab} x {width}; it has {table.Length} elements.", nameof(table));
        for (var t = 0; t < hostIds.Length; t++)
        {
            if ((uint)hostIds[t] >= (uint)vocab)
                throw new ArgumentOutOfRangeException(nameof(hostIds), hostIds[t], $"Token id at position {t} is outside the vocabulary [0, {vocab}).");
        }
        if (ids.Length < hostIds.Length || output.Length < (long)hostIds.Length * width)
            throw new ArgumentException($"Views too small for {hostIds.Length} tokens of width {width}.", nameof(output));
        if (hostIds.Length == 0) return;
        var n = hostIds.Length * width;
        var launcher = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>>(
            GatherKernelId, Method(nameof(ElementwiseKernels.Gather)), "-", $"group={groupSize}");
        launcher(registry.Accelerator.DefaultStream, Config(n), table, ids, output.SubView(0, n), width);
    }

    /// <summary><c>sum = a + b</c> over the first <paramref name="count"/> elements.</summary>
    public void Add(ArrayView<float> a, ArrayView<float> b, ArrayView<float> sum, int count)
    {
        if (a.Length < count || b.Length < count || sum.Length < count)
            throw new ArgumentException($"Every view needs at least {count} elements.", nameof(count));
        if (count == 0) return;
        var launcher = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            AddKernelId, Method(nameof(ElementwiseKernels.Add)), "-", $"group={groupSize}");
        launcher(registry.Accelerator.DefaultStream, Config(count), a.SubView(0, count), b.SubView(0, count), sum.SubView(0, count));
    }

    private KernelConfig Config(int n) => new((n + groupSize - 1) / groupSize, groupSize);

    private static MethodInfo Method(string name) =>
        typeof(ElementwiseKernels).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
}
