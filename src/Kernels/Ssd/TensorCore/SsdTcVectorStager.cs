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

/// <summary>
/// The 16-byte staging path of the tensor-core kernels: one unit is 8 consecutive elements of a row
/// (one 16-byte load of fp16, two of fp32), packed as 4 fp16 pairs; with TF32 words (fp32 inputs)
/// each stage hands over to <see cref="SsdTcTf32Stager"/>, where a unit is 8 words. A stage may use it only where
/// <see cref="Usable"/> holds (checked once per kernel, from the host's <see cref="SsdAlignedViews"/> bits), else it runs the scalar sources of <see cref="SsdTcStager"/>; a misaligned vector load
/// faults on CUDA, so the predicate is the single gate for every vector access here.
/// </summary>
internal static class SsdTcVectorStager
{
    /// <summary>Elements per unit (a multiple of every stage's column offsets and strides when vectors are used).</summary>
    public const int Elements = 8;

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
    /// The vector form of <see cref="SsdTcRowWords{T, TOps, TTf32}"/>: rows <c>RowStart..</c> of a row-major
    /// operand whose reduction axis is contiguous, unit u = (tile row u / 4, values 8·(u % 4)..), stored
    /// as 4 words at <c>row·Ld + 4·(u % 4)</c>; rows ≥ <paramref name="rows"/> and units past
    /// <paramref name="columns"/> are zeros. Two units in flight per thread.
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
        var units = tileRows * (SsdTcLayout.StepWords / 4);
        for (var u = tid; u < units; u += 2 * groupSize)
        {
            var u1 = u + groupSize;
            var first = RowUnit(view, stride, rowStart, rows, column, columns, u);
            var second = u1 < units ? RowUnit(view, stride, rowStart, rows, column, columns, u1) : default;
            Put(tile, RowTarget(u), first);
            if (u1 < units) Put(tile, RowTarget(u1), second);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SsdTcWords4 RowUnit<T>(ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns, int u)
        where T : unmanaged
    {
        var row = u >> 2;
        var col = (u & 3) * Elements;
        return row < rows && col < columns ? Load(view, ((rowStart + row) * stride) + column + col) : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowTarget(int u) => ((u >> 2) * SsdTcLayout.Ld) + ((u & 3) * 4);

    /// <summary>
    /// The vector form of <see cref="SsdTcColumnWords{T, TOps, TWeighted, TTf32}"/>: the tile's reduction axis is
    /// the token. Unit u = (token pair kp = u % 16, column group cg = u / 16) loads the 8 values of columns
    /// <c>8·cg..</c> of tokens 2·kp and 2·kp + 1 (one vector each; the 16 lanes of a half-warp read 32
    /// tokens, the two halves the two 16-byte halves of each 32-byte sector), optionally scales them by the
    /// shared weights of their positions, and stores word j (columns 8·cg + j) at
    /// <c>(8·cg + j)·Ld + kp</c>. Odd column groups store their 8 words in the order j ^ 4, so the two
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
        for (var u = tid; u < units; u += groupSize)
        {
            var kp = u & (SsdTcLayout.StepWords - 1);
            var cg = u / SsdTcLayout.StepWords;
            var t0 = 2 * kp;
            var c0 = cg * Elements;
            var inside = c0 < columns;
            var index = ((rowStart + t0) * stride) + column + c0;
            var a = inside && t0 < rows ? Load(view, index) : default;
            var b = inside && t0 + 1 < rows ? Load(view, index + stride) : default;
            uint w0, w1, w2, w3, w4, w5, w6, w7;
            if (default(TWeighted).Value)
            {
                var wa = t0 < rows ? weights[weightOffset + t0] : 0f;
                var wb = t0 + 1 < rows ? weights[weightOffset + t0 + 1] : 0f;
                w0 = Scaled(WarpMma.Low(a.X), WarpMma.Low(b.X), wa, wb);
                w1 = Scaled(WarpMma.High(a.X), WarpMma.High(b.X), wa, wb);
                w2 = Scaled(WarpMma.Low(a.Y), WarpMma.Low(b.Y), wa, wb);
                w3 = Scaled(WarpMma.High(a.Y), WarpMma.High(b.Y), wa, wb);
                w4 = Scaled(WarpMma.Low(a.Z), WarpMma.Low(b.Z), wa, wb);
                w5 = Scaled(WarpMma.High(a.Z), WarpMma.High(b.Z), wa, wb);
                w6 = Scaled(WarpMma.Low(a.W), WarpMma.Low(b.W), wa, wb);
                w7 = Scaled(WarpMma.High(a.W), WarpMma.High(b.W), wa, wb);
            }
            else
            {
                w0 = (a.X & 0xFFFFu) | (b.X << 16);
                w1 = (a.X >> 16) | (b.X & 0xFFFF0000u);
                w2 = (a.Y & 0xFFFFu) | (b.Y << 16);
                w3 = (a.Y >> 16) | (b.Y & 0xFFFF0000u);
                w4 = (a.Z & 0xFFFFu) | (b.Z << 16);
                w5 = (a.Z >> 16) | (b.Z & 0xFFFF0000u);
                w6 = (a.W & 0xFFFFu) | (b.W << 16);
                w7 = (a.W >> 16) | (b.W & 0xFFFF0000u);
            }
            var odd = (cg & 1) != 0;
            var swap = odd ? 4 : 0;
            var at = (c0 * SsdTcLayout.Ld) + kp;
            tile[at + ((0 ^ swap) * SsdTcLayout.Ld)] = odd ? w4 : w0;
            tile[at + ((1 ^ swap) * SsdTcLayout.Ld)] = odd ? w5 : w1;
            tile[at + ((2 ^ swap) * SsdTcLayout.Ld)] = odd ? w6 : w2;
            tile[at + ((3 ^ swap) * SsdTcLayout.Ld)] = odd ? w7 : w3;
            tile[at + ((4 ^ swap) * SsdTcLayout.Ld)] = odd ? w0 : w4;
            tile[at + ((5 ^ swap) * SsdTcLayout.Ld)] = odd ? w1 : w5;
            tile[at + ((6 ^ swap) * SsdTcLayout.Ld)] = odd ? w2 : w6;
            tile[at + ((7 ^ swap) * SsdTcLayout.Ld)] = odd ? w3 : w7;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Scaled(float a, float b, float wa, float wb) => WarpMma.Pack(a * wa, b * wb);

    /// <summary>
    /// The vector form of <see cref="SsdTcWeightWords{TTf32}"/>: unit u = (tile row i − I0 = u / 4, j = J0 +
    /// 8·(u % 4)..) reads 8 CB values as two 16-byte vectors (CB's row stride Q and J0 are multiples of
    /// 8; the caller checks CB's base) and stores 4 words at <c>(u / 4)·Ld + 4·(u % 4)</c>.
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
        var units = tileRows * (SsdTcLayout.StepWords / 4);
        for (var u = tid; u < units; u += groupSize)
        {
            var row = u >> 2;
            var i = source.I0 + row;
            var j = source.J0 + ((u & 3) * Elements);
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
            Put(tile, RowTarget(u), w);
        }
    }

    /// <summary><c>CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j</c> for j ≤ i, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Weight<TTf32>(SsdTcWeightWords<TTf32> source, float cb, float csi, int i, int j)
        where TTf32 : struct, IFlag =>
        j <= i ? cb * DeviceMath.Exp(MathF.Min(csi - source.Cs[j], 0f)) * source.Dt[j] : 0f;
}
