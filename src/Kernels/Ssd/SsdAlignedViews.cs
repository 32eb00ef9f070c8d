using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The <c>Aligned</c> argument of the chunk_state, bmm and chunk_scan kernels: one bit per input
/// view that starts on a 16-byte boundary, computed on the host (<see cref="ViewAlignment"/>). The
/// tensor-core kernels load a view in 16-byte vectors only where its bit is set (and its strides
/// and offsets allow, <see cref="SsdTcVectorStager.Usable"/>); the SIMT kernels ignore it.
/// </summary>
internal static class SsdAlignedViews
{
    /// <summary>x.</summary>
    public const int X = 1;

    /// <summary>B.</summary>
    public const int B = 2;

    /// <summary>C.</summary>
    public const int C = 4;

    /// <summary>The CB workspace; set only when its rows (Q values) hold whole 8-value vectors too.</summary>
    public const int CB = 8;

    /// <summary>The passed states.</summary>
    public const int PassedStates = 16;

    /// <summary>The initial states.</summary>
    public const int InitialStates = 32;

    /// <summary>y.</summary>
    public const int Y = 64;

    /// <summary>z (an absent z counts as aligned).</summary>
    public const int Z = 128;

    /// <summary>The chunk-state workspace.</summary>
    public const int ChunkStates = 256;

    /// <summary>
    /// The mask of the given views (empty ones count as aligned). chunk_scan reads CB in rows of
    /// <paramref name="cbRowLength"/> (Q) values, 8 at a time, so its bit also needs Q to be a
    /// multiple of 8; the other views' strides and offsets are checked in the kernels.
    /// </summary>
    public static int Of<T, TState>(
        ArrayView<T> x, ArrayView<T> b, ArrayView<T> c, ArrayView<float> cb, int cbRowLength, ArrayView<TState> passed,
        ArrayView<TState> initial, ArrayView<T> y, ArrayView<T> z, ArrayView<float> chunkStates)
        where T : unmanaged
        where TState : unmanaged =>
        Bit(x, X) | Bit(b, B) | Bit(c, C) | (cbRowLength % SsdTcVectorStager.Elements == 0 ? Bit(cb, CB) : 0)
        | Bit(passed, PassedStates) | Bit(initial, InitialStates) | Bit(y, Y) | Bit(z, Z) | Bit(chunkStates, ChunkStates);

    /// <summary>Whether every bit of <paramref name="bits"/> is set in <paramref name="mask"/> (in kernels too).</summary>
    public static bool Has(int mask, int bits) => (mask & bits) == bits;

    private static int Bit<TView>(ArrayView<TView> view, int bit)
        where TView : unmanaged => ViewAlignment.IsAligned(view, 16) ? bit : 0;
}
