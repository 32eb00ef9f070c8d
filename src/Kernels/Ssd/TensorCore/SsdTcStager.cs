using System.Runtime.CompilerServices;
using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The shared-memory layout of the tensor-core SSD kernels: every operand tile holds
/// <see cref="Step"/> reduction values per row as <see cref="StepWords"/> packed fp16 pairs
/// (<see cref="WarpMma"/>), rows <see cref="Ld"/> words apart. The 4-word pad makes the fragment
/// loads of a warp (rows g, words t) hit 32 distinct banks.
/// </summary>
internal static class SsdTcLayout
{
    /// <summary>Reduction values (k) staged per step: two m16n8k16 steps.</summary>
    public const int Step = 32;

    /// <summary>Packed pairs per tile row and step.</summary>
    public const int StepWords = Step / 2;

    /// <summary>Words between tile rows.</summary>
    public const int Ld = StepWords + 4;

    /// <summary>Threads of a group whose warps tile a <paramref name="rows"/> × <paramref name="columns"/> output in 32 × 32 warp tiles.</summary>
    public static int Threads(int rows, int columns) =>
        Math.Max(1, rows / MmaWarpTile.Size) * Math.Max(1, columns / MmaWarpTile.Size) * WarpMma.WarpSize;
}

/// <summary>One packed operand tile of a staging step: word e's value and its shared index.</summary>
internal interface ISsdWordSource
{
    /// <summary>The packed fp16 pair of word e (zeros where masked).</summary>
    uint Load(int e);

    /// <summary>The shared-memory index of word e.</summary>
    int Target(int e);
}

/// <summary>Copies a packed tile into shared memory with the whole group, four loads in flight per thread.</summary>
internal static class SsdTcStager
{
    /// <summary>Stages words 0..total−1 of <paramref name="source"/> into <paramref name="tile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Stage<TSource>(TSource source, ArrayView<uint> tile, int total, int tid, int groupSize)
        where TSource : struct, ISsdWordSource
    {
        for (var e = tid; e < total; e += 4 * groupSize)
        {
            var v0 = source.Load(e);
            var e1 = e + groupSize;
            var v1 = e1 < total ? source.Load(e1) : 0u;
            var e2 = e + (2 * groupSize);
            var v2 = e2 < total ? source.Load(e2) : 0u;
            var e3 = e + (3 * groupSize);
            var v3 = e3 < total ? source.Load(e3) : 0u;
            tile[source.Target(e)] = v0;
            if (e1 < total) tile[source.Target(e1)] = v1;
            if (e2 < total) tile[source.Target(e2)] = v2;
            if (e3 < total) tile[source.Target(e3)] = v3;
        }
    }
}

/// <summary>
/// Rows of a row-major operand whose reduction axis is contiguous (C or B rows over n, a state's
/// rows over n): word e is tile row e / 16, pair e % 16, i.e. the values at columns
/// <c>Column + 2·(e % 16)</c> and the next of row <c>RowStart + e / 16</c> (index
/// <c>row·Stride + Column + column</c>); stored at <c>row·Ld + pair</c>. Rows ≥ Rows and columns ≥
/// Columns read as 0.
/// </summary>
internal struct SsdTcRowWords<T, TOps> : ISsdWordSource
    where T : unmanaged
    where TOps : struct, IElementOps<T>
{
    public ArrayView<T> View;
    public int Stride;
    public int RowStart;
    public int Rows;
    public int Column;
    public int Columns;

    public readonly uint Load(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        var col = 2 * (e - (row * SsdTcLayout.StepWords));
        if (row >= Rows) return 0u;
        var index = ((RowStart + row) * Stride) + Column + col;
        var low = col < Columns ? default(TOps).ToFloat(View[index]) : 0f;
        var high = col + 1 < Columns ? default(TOps).ToFloat(View[index + 1]) : 0f;
        return WarpMma.Pack(low, high);
    }

    public readonly int Target(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        return (row * SsdTcLayout.Ld) + (e - (row * SsdTcLayout.StepWords));
    }
}

/// <summary>
/// Token rows read as the columns of a tile whose reduction axis is the token (x or B·w over the
/// chunk positions): word e is tile column e % Width, pair e / Width, i.e. the values of tokens
/// <c>RowStart + 2·pair</c> and the next at column <c>Column + e % Width</c>, each optionally times
/// the shared weight of its position; stored at <c>column·Ld + pair</c>. Tokens ≥ Rows and columns
/// ≥ Columns read as 0. Consecutive threads read consecutive columns (coalesced).
/// </summary>
internal struct SsdTcColumnWords<T, TOps, TWeighted> : ISsdWordSource
    where T : unmanaged
    where TOps : struct, IElementOps<T>
    where TWeighted : struct, IFlag
{
    public ArrayView<T> View;
    public int Stride;
    public int RowStart;
    public int Rows;
    public int Column;
    public int Columns;
    public int Width;
    public ArrayView<float> Weights;
    public int WeightOffset;

    public readonly uint Load(int e)
    {
        var pair = e / Width;
        var col = e - (pair * Width);
        var row = 2 * pair;
        if (col >= Columns) return 0u;
        var index = ((RowStart + row) * Stride) + Column + col;
        var low = row < Rows ? default(TOps).ToFloat(View[index]) : 0f;
        var high = row + 1 < Rows ? default(TOps).ToFloat(View[index + Stride]) : 0f;
        if (default(TWeighted).Value)
        {
            low *= row < Rows ? Weights[WeightOffset + row] : 0f;
            high *= row + 1 < Rows ? Weights[WeightOffset + row + 1] : 0f;
        }
        return WarpMma.Pack(low, high);
    }

    public readonly int Target(int e)
    {
        var pair = e / Width;
        return ((e - (pair * Width)) * SsdTcLayout.Ld) + pair;
    }
}

/// <summary>
/// The causal weights of the diagonal product of <c>ssd.chunk_scan</c>,
/// <c>W[i,j] = CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j</c> for j ≤ i &lt; RowEnd (else 0), rounded to
/// fp16: word e is tile row i = I0 + e / 16, pair e % 16 (j = J0 + 2·pair and the next); stored at
/// <c>(i − I0)·Ld + pair</c>.
/// </summary>
internal struct SsdTcWeightWords : ISsdWordSource
{
    public ArrayView<float> CB;
    public ArrayView<float> Cs;
    public ArrayView<float> Dt;
    public int CBBase;
    public int Q;
    public int I0;
    public int J0;
    public int RowEnd;

    public readonly uint Load(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        var i = I0 + row;
        var j = J0 + (2 * (e - (row * SsdTcLayout.StepWords)));
        if (i >= RowEnd || j > i) return 0u;
        var cbRow = (CBBase + i) * Q;
        var csi = Cs[i];
        var low = CB[cbRow + j] * DeviceMath.Exp(MathF.Min(csi - Cs[j], 0f)) * Dt[j];
        var high = j + 1 <= i ? CB[cbRow + j + 1] * DeviceMath.Exp(MathF.Min(csi - Cs[j + 1], 0f)) * Dt[j + 1] : 0f;
        return WarpMma.Pack(low, high);
    }

    public readonly int Target(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        return (row * SsdTcLayout.Ld) + (e - (row * SsdTcLayout.StepWords));
    }
}
