using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Numerics;

/// <summary>
/// Whether a view's first element sits on a byte boundary, decided on the host. Kernels cannot ask:
/// in ILGPU 1.5.3, <c>ArrayView.AlignTo</c> compiles to an untyped PTX <c>mov</c> that the CUDA
/// driver's JIT rejects, and <c>LoadEffectiveAddressAsPtr</c> is not supported in kernels. So the
/// host passes the answer in the kernel's arguments.
/// </summary>
internal static class ViewAlignment
{
    /// <summary>
    /// True for an empty view, or one whose buffer address plus offset is a multiple of
    /// <paramref name="bytes"/>; false for a view without a buffer.
    /// </summary>
    public static bool IsAligned<T>(ArrayView<T> view, int bytes)
        where T : unmanaged =>
        view.Length == 0 || AlignedBase(view, bytes);

    // Through a constrained generic: casting the view struct to its interfaces would box it, on
    // every launch that asks.
    private static bool AlignedBase<TView>(TView view, int bytes)
        where TView : struct, IContiguousArrayView =>
        view.Buffer is { } buffer && (buffer.NativePtr.ToInt64() + view.IndexInBytes) % bytes == 0;
}
