using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>Four 32-bit words, one 16-byte vector: 8 fp16 values or 4 fp32 values.</summary>
internal struct SsdTcWords4
{
    public uint X;
    public uint Y;
    public uint Z;
    public uint W;
}

/// <summary>Eight 32-bit words: one staged unit of a column operand.</summary>
internal struct SsdTcWords8
{
    public uint W0;
    public uint W1;
    public uint W2;
    public uint W3;
    public uint W4;
    public uint W5;
    public uint W6;
    public uint W7;
}

/// <summary>
/// The 16-byte staging path of the tensor-core kernels: one unit is 8 consecutive elements of a row
/// (one 16-byte load of fp16, two of fp32), packed as 4 fp16 pairs; with TF32 words (fp32 inputs)
/// each stage hands over to <see cref="SsdTcTf32Stager"/>, where a unit is 8 words. Each thread loads
/// up to <see cref="InFlight"/> units before it stores any, so the group has that many loads in
/// flight per thread. A stage may use this path only where <see cref="Usable"/> holds (checked once
/// per kernel, from the host's <see cref="SsdAlignedViews"/> bits), else it runs the scalar sources
/// of <see cref="SsdTcStager"/>; a misaligned vector load faults on CUDA, so the predicate is the
/// single gate for every vector access here.
/// </summary>
internal static class SsdTcVectorStager
{
    /// <summary>Elements per unit (a multiple of every stage's column offsets and strides when vectors are used).</summary>
    public const int Elements = 8;

    /// <summary>Units a thread loads before storing them.</summary>
    public const int InFlight = 4;

    /// <summary>fp16 units (4 words each) per tile row and step.</summary>
    private const int UnitsPerRow = SsdTcLayout.StepWords / 4;

    /// <summary>
    /// Whether a stage may load whole units: an aligned base and a row stride, first column and column
    /// limit that are multiples of <see cref="Elements"/>, so every unit starts at a 16-byte boundary
    /// (for 2- and 4-byte elements) and is either wholly inside the columns or wholly outside.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Usable(bool baseAligned, int stride, int column, int columns) =>
        baseAligned && ((stride | column | columns) & (Elements - 1)) == 0;

    /// <summary>Elements <c>index .. index + 7</c> (index a multiple of 8, base aligned) as 4 fp16 pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SsdTcWords4 Load<T>(ArrayView<T> view, int index)
        where T : unmanaged
    {
        var vectors = view.Cast<SsdTcWords4>().AsAligned(16);
        if (Interop.SizeOf<T>() == 2) return vectors[index / Elements];
        var low = vectors[index / 4];
        var high = vectors[(index / 4) + 1];
        SsdTcWords4 words;
        words.X = PackBits(low.X, low.Y);
        words.Y = PackBits(low.Z, low.W);
        words.Z = PackBits(high.X, high.Y);
        words.W = PackBits(high.Z, high.W);
        return words;
    }

    /// <summary>Two fp32 bit patterns rounded to one fp16 pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PackBits(uint low, uint high) => WarpMma.Pack(Interop.IntAsFloat(low), Interop.IntAsFloat(high));

    /// <summary>Stores one unit's 4 words at <c>tile[at..at + 3]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ArrayView<uint> tile, int at, SsdTcWords4 w)
    {
        tile[at] = w.X;
        tile[at + 1] = w.Y;
        tile[at + 2] = w.Z;
        tile[at + 3] = w.W;
    }

    /// <summary>
    /// The vector form of <see cref="SsdTcRowWords{T, TOps, TTf32}"/>: rows <c>RowStart..</c> of a
    /// row-major operand whose reduction axis is contiguous, unit u = (tile row u / 8, values
    /// 8·(u % 8)..), stored as 4 words at <c>row·Ld + 4·(u % 8)</c>; rows ≥ <paramref name="rows"/>
    /// and units past <paramref name="columns"/> are zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageRows<T>(
        ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns,
        ArrayView<uint> tile, int tileRows, int tid, int groupSize, bool tf32)
        where T : unmanaged
    {
        if (tf32)
        {
            SsdTcTf32Stager.StageRows(view, stride, rowStart, rows, column, columns, tile, tileRows, tid, groupSize);
            return;
        }
        var units = tileRows * UnitsPerRow;
        for (var u = tid; u < units; u += InFlight * groupSize)
        {
            var u1 = u + groupSize;
            var u2 = u1 + groupSize;
            var u3 = u2 + groupSize;
            var w0 = RowUnit(view, stride, rowStart, rows, column, columns, u);
            var w1 = u1 < units ? RowUnit(view, stride, rowStart, rows, column, columns, u1) : default;
            var w2 = u2 < units ? RowUnit(view, stride, rowStart, rows, column, columns, u2) : default;
            var w3 = u3 < units ? RowUnit(view, stride, rowStart, rows, column, columns, u3) : default;
            Put(tile, RowTarget(u), w0);
            if (u1 < units) Put(tile, RowTarget(u1), w1);
            if (u2 < units) Put(tile, RowTarget(u2), w2);
            if (u3 < units) Put(tile, RowTarget(u3), w3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SsdTcWords4 RowUnit<T>(ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns, int u)
        where T : unmanaged
    {
        var row = u / UnitsPerRow;
        var col = (u % UnitsPerRow) * Elements;
        return row < rows && col < columns ? Load(view, ((rowStart + row) * stride) + column + col) : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowTarget(int u) => ((u / UnitsPerRow) * SsdTcLayout.Ld) + ((u % UnitsPerRow) * 4);

    /// <summary>
    /// The vector form of <see cref="SsdTcColumnWords{T, TOps, TWeighted, TTf32}"/>: the tile's
    /// reduction axis is the token. Unit u is (token pair kp, column group cg) with kp = (u % 16) +
    /// 16·((u / 32) % 2) and cg = 2·(u / 64) + (u / 16) % 2, so the two half-warps read the two 16-byte
    /// halves of the same 32-byte sectors (the tile's column groups come in pairs: widths are at least
    /// 32). It loads the 8 values of columns <c>8·cg..</c> of tokens 2·kp and 2·kp + 1, optionally
    /// scales them by the shared weights of their positions, and stores word j (columns 8·cg + j) at
    /// <c>(8·cg + j)·Ld + kp</c>; odd column groups store their words in the order j ^ 4, so the two
    /// half-warps hit disjoint banks (Ld·4 ≡ 16 mod 32).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageColumns<T, TWeighted>(
        ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns,
        ArrayView<float> weights, int weightOffset, ArrayView<uint> tile, int width, int tid, int groupSize, bool tf32)
        where T : unmanaged
        where TWeighted : struct, IFlag
    {
        if (tf32)
        {
            SsdTcTf32Stager.StageColumns<T, TWeighted>(view, stride, rowStart, rows, column, columns, weights, weightOffset, tile, width, tid, groupSize);
            return;
        }
        var units = (width / Elements) * SsdTcLayout.StepWords;
        for (var u = tid; u < units; u += InFlight * groupSize)
        {
            var u1 = u + groupSize;
            var u2 = u1 + groupSize;
            var u3 = u2 + groupSize;
            var w0 = ColumnUnit<T, TWeighted>(view, stride, rowStart, rows, column, columns, weights, weightOffset, u);
            var w1 = u1 < units ? ColumnUnit<T, TWeighted>(view, stride, rowStart, rows, column, columns, weights, weightOffset, u1) : default;
            var w2 = u2 < units ? ColumnUnit<T, TWeighted>(view, stride, rowStart, rows, column, columns, weights, weightOffset, u2) : default;
            var w3 = u3 < units ? ColumnUnit<T, TWeighted>(view, stride, rowStart, rows, column, columns, weights, weightOffset, u3) : default;
            PutColumn(tile, u, w0);
            if (u1 < units) PutColumn(tile, u1, w1);
            if (u2 < units) PutColumn(tile, u2, w2);
            if (u3 < units) PutColumn(tile, u3, w3);
        }
    }

    /// <summary>The token pair of column unit u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PairOf(int u) => (u & 15) | ((u >> 1) & 16);

    /// <summary>The column group of column unit u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GroupOf(int u) => ((u >> 6) << 1) | ((u >> 4) & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SsdTcWords8 ColumnUnit<T, TWeighted>(
        ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns, ArrayView<float> weights, int weightOffset, int u)
        where T : unmanaged
        where TWeighted : struct, IFlag
    {
        var t0 = 2 * PairOf(u);
        var c0 = GroupOf(u) * Elements;
        var inside = c0 < columns;
        var index = ((rowStart + t0) * stride) + column + c0;
        var a = inside && t0 < rows ? Load(view, index) : default;
        var b = inside && t0 + 1 < rows ? Load(view, index + stride) : default;
        SsdTcWords8 w;
        if (default(TWeighted).Value)
        {
            var wa = t0 < rows ? weights[weightOffset + t0] : 0f;
            var wb = t0 + 1 < rows ? weights[weightOffset + t0 + 1] : 0f;
            w.W0 = Scaled(WarpMma.Low(a.X), WarpMma.Low(b.X), wa, wb);
            w.W1 = Scaled(WarpMma.High(a.X), WarpMma.High(b.X), wa, wb);
            w.W2 = Scaled(WarpMma.Low(a.Y), WarpMma.Low(b.Y), wa, wb);
            w.W3 = Scaled(WarpMma.High(a.Y), WarpMma.High(b.Y), wa, wb);
            w.W4 = Scaled(WarpMma.Low(a.Z), WarpMma.Low(b.Z), wa, wb);
            w.W5 = Scaled(WarpMma.High(a.Z), WarpMma.High(b.Z), wa, wb);
            w.W6 = Scaled(WarpMma.Low(a.W), WarpMma.Low(b.W), wa, wb);
            w.W7 = Scaled(WarpMma.High(a.W), WarpMma.High(b.W), wa, wb);
        }
        else
        {
            w.W0 = (a.X & 0xFFFFu) | (b.X << 16);
            w.W1 = (a.X >> 16) | (b.X & 0xFFFF0000u);
            w.W2 = (a.Y & 0xFFFFu) | (b.Y << 16);
            w.W3 = (a.Y >> 16) | (b.Y & 0xFFFF0000u);
            w.W4 = (a.Z & 0xFFFFu) | (b.Z << 16);
            w.W5 = (a.Z >> 16) | (b.Z & 0xFFFF0000u);
            w.W6 = (a.W & 0xFFFFu) | (b.W << 16);
            w.W7 = (a.W >> 16) | (b.W & 0xFFFF0000u);
        }
        return w;
    }

    /// <summary>Stores column unit u's 8 words (word j at <c>(8·cg + j)·Ld + kp</c>, odd groups in the order j ^ 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutColumn(ArrayView<uint> tile, int u, SsdTcWords8 w)
    {
        var cg = GroupOf(u);
        var odd = (cg & 1) != 0;
        var swap = odd ? 4 : 0;
        var at = (cg * Elements * SsdTcLayout.Ld) + PairOf(u);
        tile[at + ((0 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W4 : w.W0;
        tile[at + ((1 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W5 : w.W1;
        tile[at + ((2 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W6 : w.W2;
        tile[at + ((3 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W7 : w.W3;
        tile[at + ((4 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W0 : w.W4;
        tile[at + ((5 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W1 : w.W5;
        tile[at + ((6 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W2 : w.W6;
        tile[at + ((7 ^ swap) * SsdTcLayout.Ld)] = odd ? w.W3 : w.W7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Scaled(float a, float b, float wa, float wb) => WarpMma.Pack(a * wa, b * wb);

    /// <summary>
    /// The vector form of <see cref="SsdTcWeightWords{TTf32}"/>: unit u = (tile row i − I0 = u / 8,
    /// j = J0 + 8·(u % 8)..) reads 8 CB values as two 16-byte vectors (CB's row stride Q and J0 are
    /// multiples of 8; the caller checks CB's base) and stores 4 words at <c>(u / 8)·Ld + 4·(u % 8)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageWeights<TTf32>(SsdTcWeightWords<TTf32> source, ArrayView<uint> tile, int tileRows, int tid, int groupSize)
        where TTf32 : struct, IFlag
    {
        if (default(TTf32).Value)
        {
            SsdTcTf32Stager.StageWeights(source, tile, tileRows, tid, groupSize);
            return;
        }
        var units = tileRows * UnitsPerRow;
        for (var u = tid; u < units; u += InFlight * groupSize)
        {
            var u1 = u + groupSize;
            var u2 = u1 + groupSize;
            var u3 = u2 + groupSize;
            var w0 = WeightUnit(source, u);
            var w1 = u1 < units ? WeightUnit(source, u1) : default;
            var w2 = u2 < units ? WeightUnit(source, u2) : default;
            var w3 = u3 < units ? WeightUnit(source, u3) : default;
            Put(tile, RowTarget(u), w0);
            if (u1 < units) Put(tile, RowTarget(u1), w1);
            if (u2 < units) Put(tile, RowTarget(u2), w2);
            if (u3 < units) Put(tile, RowTarget(u3), w3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SsdTcWords4 WeightUnit<TTf32>(SsdTcWeightWords<TTf32> source, int u)
        where TTf32 : struct, IFlag
    {
        var i = source.I0 + (u / UnitsPerRow);
        var j = source.J0 + ((u % UnitsPerRow) * Elements);
        SsdTcWords4 w = default;
        if (i < source.RowEnd && j <= i)
        {
            var vectors = source.CB.Cast<SsdTcWords4>().AsAligned(16);
            var at = (((source.CBBase + i) * source.Q) + j) / 4;
            var low = vectors[at];
            var high = vectors[at + 1];
            var csi = source.Cs[i];
            w.X = WarpMma.Pack(Weight(source, Interop.IntAsFloat(low.X), csi, i, j), Weight(source, Interop.IntAsFloat(low.Y), csi, i, j + 1));
            w.Y = WarpMma.Pack(Weight(source, Interop.IntAsFloat(low.Z), csi, i, j + 2), Weight(source, Interop.IntAsFloat(low.W), csi, i, j + 3));
            w.Z = WarpMma.Pack(Weight(source, Interop.IntAsFloat(high.X), csi, i, j + 4), Weight(source, Interop.IntAsFloat(high.Y), csi, i, j + 5));
            w.W = WarpMma.Pack(Weight(source, Interop.IntAsFloat(high.Z), csi, i, j + 6), Weight(source, Interop.IntAsFloat(high.W), csi, i, j + 7));
        }
        return w;
    }

    /// <summary><c>CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j</c> for j ≤ i, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Weight<TTf32>(SsdTcWeightWords<TTf32> source, float cb, float csi, int i, int j)
        where TTf32 : struct, IFlag =>
        j <= i ? cb * DeviceMath.Exp(MathF.Min(csi - source.Cs[j], 0f)) * source.Dt[j] : 0f;
}
