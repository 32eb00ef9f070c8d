using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Layers;

/// <summary>Small memory-bound kernels of the model: embedding gather and residual add.</summary>
internal static class ElementwiseKernels
{
    /// <summary><c>out[t, :] = table[ids[t], :]</c>; one thread per output element.</summary>
    public static void Gather(ArrayView<float> table, ArrayView<int> ids, ArrayView<float> output, int width)
    {
        var i = Grid.GlobalIndex.X;
        if (i >= output.Length) return;
        var t = i / width;
        var c = i % width;
        output[i] = table[((long)ids[t] * width) + c];
    }

    /// <summary><c>sum[i] = a[i] + b[i]</c>.</summary>
    public static void Add(ArrayView<float> a, ArrayView<float> b, ArrayView<float> sum)
    {
        var i = Grid.GlobalIndex.X;
        if (i < sum.Length) sum[i] = a[i] + b[i];
    }
}
