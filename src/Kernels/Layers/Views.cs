using ILGPU;

namespace WarmGate.Kernels.Layers;

/// <summary>Checks that device views are large enough for the rows a kernel will touch.</summary>
internal static class Views
{
    public static void RequireRows<T>(ArrayView<T> view, int rows, int width, int stride, string name)
        where T : unmanaged
    {
        if (stride < width)
            throw new ArgumentException($"Row stride {stride} of '{name}' is smaller than its row width {width}.", name);
        if (rows > 0 && view.Length < ((long)(rows - 1) * stride) + width)
            throw new ArgumentException(
                $"View '{name}' has {view.Length} elements; {rows} rows of {width} with stride {stride} need {((long)(rows - 1) * stride) + width}.",
                name);
    }
}
