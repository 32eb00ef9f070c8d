using System.Runtime.CompilerServices;
using ILGPU;

namespace WarmGate.Kernels.Numerics;

/// <summary>
/// A warp's 32 × 32 fp32 output tile built from 2 × 4 m16n8k16 products (<see cref="WarpMma"/>):
/// each k16 step loads two A and four B fragments and issues eight products. Lane (g, t) owns rows
/// <c>16·mi + 8·half + g</c> and columns <c>8·ni + 2t + b</c> (mi, half, b in {0, 1}, ni in 0..3; see <see cref="Store"/>).
/// Plain fields, so ILGPU keeps the 32 accumulators in registers.
/// </summary>
internal struct MmaWarpTile
{
    /// <summary>Rows and columns of the tile.</summary>
    public const int Size = 32;

    public MmaAccumulator T00;
    public MmaAccumulator T01;
    public MmaAccumulator T02;
    public MmaAccumulator T03;
    public MmaAccumulator T10;
    public MmaAccumulator T11;
    public MmaAccumulator T12;
    public MmaAccumulator T13;

    /// <summary>
    /// Adds one k16 step: A rows 0..31 from <c>a[aOffset..]</c> (rows <paramref name="aLd"/> words apart,
    /// k pairs along a row) times B columns 0..31 from <c>b[bOffset..]</c> (columns <paramref name="bLd"/>
    /// words apart, k pairs along a column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(ArrayView<uint> a, int aOffset, int aLd, ArrayView<uint> b, int bOffset, int bLd, int lane)
    {
        var a0 = WarpMma.LoadA(a, aOffset, aLd, lane);
        var a1 = WarpMma.LoadA(a, aOffset + (16 * aLd), aLd, lane);
        var b0 = WarpMma.LoadB(b, bOffset, bLd, lane);
        var b1 = WarpMma.LoadB(b, bOffset + (8 * bLd), bLd, lane);
        var b2 = WarpMma.LoadB(b, bOffset + (16 * bLd), bLd, lane);
        var b3 = WarpMma.LoadB(b, bOffset + (24 * bLd), bLd, lane);
        WarpMma.Mma(ref T00, a0, b0, lane);
        WarpMma.Mma(ref T01, a0, b1, lane);
        WarpMma.Mma(ref T02, a0, b2, lane);
        WarpMma.Mma(ref T03, a0, b3, lane);
        WarpMma.Mma(ref T10, a1, b0, lane);
        WarpMma.Mma(ref T11, a1, b1, lane);
        WarpMma.Mma(ref T12, a1, b2, lane);
        WarpMma.Mma(ref T13, a1, b3, lane);
    }

    /// <summary>
    /// Multiplies the lane's four rows by a factor each: <paramref name="s0"/> row g, <paramref name="s1"/>
    /// row g + 8, <paramref name="s2"/> row 16 + g, <paramref name="s3"/> row 24 + g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ScaleRows(float s0, float s1, float s2, float s3)
    {
        T00.ScaleRows(s0, s1);
        T01.ScaleRows(s0, s1);
        T02.ScaleRows(s0, s1);
        T03.ScaleRows(s0, s1);
        T10.ScaleRows(s2, s3);
        T11.ScaleRows(s2, s3);
        T12.ScaleRows(s2, s3);
        T13.ScaleRows(s2, s3);
    }

    /// <summary>
    /// Hands each of the lane's 32 accumulators to <paramref name="sink"/> with its tile row and column
    /// (adjacent columns 2t and 2t + 1 one after the other).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TSink>(ref TSink sink, int lane)
        where TSink : struct, IMmaSink
    {
        var row = lane >> 2;
        var column = (lane & 3) * 2;
        StoreTile(ref sink, T00, row, column);
        StoreTile(ref sink, T01, row, column + 8);
        StoreTile(ref sink, T02, row, column + 16);
        StoreTile(ref sink, T03, row, column + 24);
        StoreTile(ref sink, T10, row + 16, column);
        StoreTile(ref sink, T11, row + 16, column + 8);
        StoreTile(ref sink, T12, row + 16, column + 16);
        StoreTile(ref sink, T13, row + 16, column + 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile<TSink>(ref TSink sink, MmaAccumulator acc, int row, int column)
        where TSink : struct, IMmaSink
    {
        sink.Store(row, column, acc.C0);
        sink.Store(row, column + 1, acc.C1);
        sink.Store(row + 8, column, acc.C2);
        sink.Store(row + 8, column + 1, acc.C3);
    }
}

/// <summary>Receives a warp tile's accumulators (an epilogue: masking, scaling, conversion, the global store).</summary>
internal interface IMmaSink
{
    /// <summary>Takes the value of the tile element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    void Store(int row, int column, float value);
}
