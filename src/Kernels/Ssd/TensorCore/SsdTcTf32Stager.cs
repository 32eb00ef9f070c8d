using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>Eight consecutive elements of a row, widened to fp32.</summary>
internal struct SsdTcValues8
{
    public float V0;
    public float V1;
    public float V2;
    public float V3;
    public float V4;
    public float V5;
    public float V6;
    public float V7;
}

/// <summary>
/// The 16-byte staging path of <see cref="SsdTcVectorStager"/> for TF32 words (fp32 inputs): a unit is
/// still 8 consecutive elements of a row (two 16-byte loads of fp32, one of fp16), but it becomes 8
/// words, one TF32 value each (<see cref="WarpMma.Tf32"/>), so a step row holds 2 units instead of 4.
/// The callers' gate (<see cref="SsdTcVectorStager.Usable"/>) is the same.
/// </summary>
internal static class SsdTcTf32Stager
{
    private const int Elements = SsdTcVectorStager.Elements;
    private const int UnitsPerRow = SsdTcLayout.StepWords / Elements;

    /// <summary>Elements <c>index .. index + 7</c> (index a multiple of 8, base 16-byte aligned) as fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SsdTcValues8 Values<T>(ArrayView<T> view, int index)
        where T : unmanaged
    {
        var vectors = view.Cast<SsdTcWords4>().AsAligned(16);
        SsdTcValues8 v;
        if (Interop.SizeOf<T>() == 2)
        {
            var w = vectors[index / Elements];
            v.V0 = WarpMma.Low(w.X);
            v.V1 = WarpMma.High(w.X);
            v.V2 = WarpMma.Low(w.Y);
            v.V3 = WarpMma.High(w.Y);
            v.V4 = WarpMma.Low(w.Z);
            v.V5 = WarpMma.High(w.Z);
            v.V6 = WarpMma.Low(w.W);
            v.V7 = WarpMma.High(w.W);
            return v;
        }
        var low = vectors[index / 4];
        var high = vectors[(index / 4) + 1];
        v.V0 = Interop.IntAsFloat(low.X);
        v.V1 = Interop.IntAsFloat(low.Y);
        v.V2 = Interop.IntAsFloat(low.Z);
        v.V3 = Interop.IntAsFloat(low.W);
        v.V4 = Interop.IntAsFloat(high.X);
        v.V5 = Interop.IntAsFloat(high.Y);
        v.V6 = Interop.IntAsFloat(high.Z);
        v.V7 = Interop.IntAsFloat(high.W);
        return v;
    }

    /// <summary>Stores a unit's 8 values as TF32 words at <c>tile[at..at + 7]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ArrayView<uint> tile, int at, SsdTcValues8 v)
    {
        tile[at] = WarpMma.Tf32(v.V0);
        tile[at + 1] = WarpMma.Tf32(v.V1);
        tile[at + 2] = WarpMma.Tf32(v.V2);
        tile[at + 3] = WarpMma.Tf32(v.V3);
        tile[at + 4] = WarpMma.Tf32(v.V4);
        tile[at + 5] = WarpMma.Tf32(v.V5);
        tile[at + 6] = WarpMma.Tf32(v.V6);
        tile[at + 7] = WarpMma.Tf32(v.V7);
    }

    /// <summary>
    /// <see cref="SsdTcVectorStager.StageRows{T}"/> for TF32: unit u = (tile row u / 2, values
    /// 8·(u % 2)..), stored as 8 words at <c>row·Ld + 8·(u % 2)</c>; two units in flight per thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageRows<T>(
        ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns,
        ArrayView<uint> tile, int tileRows, int tid, int groupSize)
        where T : unmanaged
    {
        var units = tileRows * UnitsPerRow;
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
    private static SsdTcValues8 RowUnit<T>(ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns, int u)
        where T : unmanaged
    {
        var row = u / UnitsPerRow;
        var col = (u % UnitsPerRow) * Elements;
        return row < rows && col < columns ? Values(view, ((rowStart + row) * stride) + column + col) : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowTarget(int u) => ((u / UnitsPerRow) * SsdTcLayout.Ld) + ((u % UnitsPerRow) * Elements);

    /// <summary>
    /// <see cref="SsdTcVectorStager.StageColumns{T, TWeighted}"/> for TF32: unit u = (token k = u % 16,
    /// column group cg = u / 16) loads columns <c>8·cg..</c> of token k, optionally times its shared
    /// weight, and stores word j (column 8·cg + j) at <c>(8·cg + j)·Ld + k</c>, odd column groups in the
    /// order j ^ 4 so the two half-warps hit disjoint banks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageColumns<T, TWeighted>(
        ArrayView<T> view, int stride, int rowStart, int rows, int column, int columns,
        ArrayView<float> weights, int weightOffset, ArrayView<uint> tile, int width, int tid, int groupSize)
        where T : unmanaged
        where TWeighted : struct, IFlag
    {
        var units = (width / Elements) * SsdTcLayout.StepWords;
        for (var u = tid; u < units; u += groupSize)
        {
            var k = u & (SsdTcLayout.StepWords - 1);
            var cg = u / SsdTcLayout.StepWords;
            var c0 = cg * Elements;
            var live = c0 < columns && k < rows;
            var v = live ? Values(view, ((rowStart + k) * stride) + column + c0) : default;
            if (default(TWeighted).Value)
            {
                var w = k < rows ? weights[weightOffset + k] : 0f;
                v.V0 *= w;
                v.V1 *= w;
                v.V2 *= w;
                v.V3 *= w;
                v.V4 *= w;
                v.V5 *= w;
                v.V6 *= w;
                v.V7 *= w;
            }
            var odd = (cg & 1) != 0;
            var swap = odd ? 4 : 0;
            var at = (c0 * SsdTcLayout.Ld) + k;
            tile[at + ((0 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V4 : v.V0);
            tile[at + ((1 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V5 : v.V1);
            tile[at + ((2 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V6 : v.V2);
            tile[at + ((3 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V7 : v.V3);
            tile[at + ((4 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V0 : v.V4);
            tile[at + ((5 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V1 : v.V5);
            tile[at + ((6 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V2 : v.V6);
            tile[at + ((7 ^ swap) * SsdTcLayout.Ld)] = WarpMma.Tf32(odd ? v.V3 : v.V7);
        }
    }

    /// <summary>
    /// <see cref="SsdTcVectorStager.StageWeights{TTf32}"/> for TF32: unit u = (tile row i − I0 = u / 2,
    /// j = J0 + 8·(u % 2)..) reads 8 CB values as two 16-byte vectors and stores 8 words at
    /// <c>(u / 2)·Ld + 8·(u % 2)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StageWeights<TTf32>(SsdTcWeightWords<TTf32> source, ArrayView<uint> tile, int tileRows, int tid, int groupSize)
        where TTf32 : struct, IFlag
    {
        var units = tileRows * UnitsPerRow;
        for (var u = tid; u < units; u += groupSize)
        {
            var row = u / UnitsPerRow;
            var i = source.I0 + row;
            var j = source.J0 + ((u % UnitsPerRow) * Elements);
            SsdTcValues8 w = default;
            if (i < source.RowEnd && j <= i)
            {
                var cb = Values(source.CB, ((source.CBBase + i) * source.Q) + j);
                var csi = source.Cs[i];
                w.V0 = SsdTcVectorStager.Weight(source, cb.V0, csi, i, j);
                w.V1 = SsdTcVectorStager.Weight(source, cb.V1, csi, i, j + 1);
                w.V2 = SsdTcVectorStager.Weight(source, cb.V2, csi, i, j + 2);
                w.V3 = SsdTcVectorStager.Weight(source, cb.V3, csi, i, j + 3);
                w.V4 = SsdTcVectorStager.Weight(source, cb.V4, csi, i, j + 4);
                w.V5 = SsdTcVectorStager.Weight(source, cb.V5, csi, i, j + 5);
                w.V6 = SsdTcVectorStager.Weight(source, cb.V6, csi, i, j + 6);
                w.V7 = SsdTcVectorStager.Weight(source, cb.V7, csi, i, j + 7);
            }
            Put(tile, RowTarget(u), w);
        }
    }
}
