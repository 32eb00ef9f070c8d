using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>Two fp32 values, one 8-byte access.</summary>
internal struct SsdTcFloat2
{
    public float X;
    public float Y;
}

/// <summary>
/// Two adjacent elements (index even, the view's base aligned to the pair's size) as one access:
/// 4 bytes of fp16 or 8 bytes of fp32. The epilogues of the tensor-core kernels use them for the two
/// adjacent columns a lane owns (2t, 2t + 1), halving their global loads and stores; callers check
/// parity and alignment (<see cref="SsdAlignedViews"/>) and fall back to single elements.
/// </summary>
internal static class SsdTcPairAccess
{
    /// <summary>Elements <paramref name="index"/> and <paramref name="index"/> + 1, widened to fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SsdTcFloat2 Load<T>(ArrayView<T> view, int index)
        where T : unmanaged
    {
        if (Interop.SizeOf<T>() == 2)
        {
            var pair = view.Cast<uint>()[index / 2];
            SsdTcFloat2 r;
            r.X = WarpMma.Low(pair);
            r.Y = WarpMma.High(pair);
            return r;
        }
        return view.Cast<SsdTcFloat2>().AsAligned(8)[index / 2];
    }

    /// <summary>Stores <paramref name="first"/> and <paramref name="second"/> at <paramref name="index"/> and the next (rounded to fp16 for 2-byte elements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(ArrayView<T> view, int index, float first, float second)
        where T : unmanaged
    {
        if (Interop.SizeOf<T>() == 2)
        {
            view.Cast<uint>()[index / 2] = WarpMma.Pack(first, second);
            return;
        }
        SsdTcFloat2 pair;
        pair.X = first;
        pair.Y = second;
        view.Cast<SsdTcFloat2>().AsAligned(8)[index / 2] = pair;
    }
}
