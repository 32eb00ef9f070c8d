using System.Runtime.CompilerServices;
using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The shared-memory layout of the tensor-core SSD kernels: every operand tile holds
/// <see cref="StepWords"/> words per row and step, rows <see cref="Ld"/> words apart. A word is a
/// packed fp16 pair for fp16 inputs, or one TF32 value for fp32 inputs (<see cref="WarpMma"/>), so a
/// step covers <see cref="StepValues"/> reduction values: 32, or 16 with TF32. The 4-word pad makes
/// the fragment loads of a warp (rows g, words t) hit 32 distinct banks.
/// </summary>
internal static class SsdTcLayout
{
    /// <summary>Words per tile row and step: two 8-word tensor-core steps.</summary>
    public const int StepWords = 16;

    /// <summary>Words between tile rows.</summary>
    public const int Ld = StepWords + 4;

    /// <summary>Reduction values per word: 2 (fp16 pair) or 1 (TF32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ValuesPerWord(bool tf32) => tf32 ? 1 : 2;

    /// <summary>Reduction values staged per step: 32 (fp16) or 16 (TF32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StepValues(bool tf32) => StepWords * ValuesPerWord(tf32);

    /// <summary>The word of reduction values <paramref name="first"/> and <paramref name="second"/>: an fp16 pair, or the first alone as TF32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Word(bool tf32, float first, float second) => tf32 ? WarpMma.Tf32(first) : WarpMma.Pack(first, second);

    /// <summary>The shared index of word e of a row-major step tile: row e / <see cref="StepWords"/>, word e % <see cref="StepWords"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RowMajorTarget(int e)
    {
        var row = e / StepWords;
        return (row * Ld) + (e - (row * StepWords));
    }

    /// <summary>Threads of a group whose warps tile a <paramref name="rows"/> × <paramref name="columns"/> output in 32 × 32 warp tiles.</summary>
    public static int Threads(int rows, int columns) =>
        Math.Max(1, rows / MmaWarpTile.Size) * Math.Max(1, columns / MmaWarpTile.Size) * WarpMma.WarpSize;
}

/// <summary>One packed operand tile of a staging step: word e's value and its shared index.</summary>
internal interface ISsdWordSource
{
    /// <summary>Word e (an fp16 pair or a TF32 value; zero where masked).</summary>
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
/// rows over n): word e is tile row e / 16, word e % 16, i.e. the values at columns
/// <c>Column + v·(e % 16)</c> (and the next, for an fp16 pair; v values per word) of row
/// <c>RowStart + e / 16</c> (index <c>row·Stride + Column + column</c>); stored at
/// <c>row·Ld + e % 16</c>. Rows ≥ Rows and columns ≥ Columns read as 0.
/// </summary>
internal struct SsdTcRowWords<T, TOps, TTf32> : ISsdWordSource
    where T : unmanaged
    where TOps : struct, IElementOps<T>
    where TTf32 : struct, IFlag
{
    public ArrayView<T> View;
    public int Stride;
    public int RowStart;
    public int Rows;
    public int Column;
    public int Columns;

    /// <summary>Whether words are TF32 values.</summary>
    private static bool Tf32 => default(TTf32).Value;

    public readonly uint Load(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        var col = SsdTcLayout.ValuesPerWord(Tf32) * (e - (row * SsdTcLayout.StepWords));
        if (row >= Rows) return 0u;
        var index = ((RowStart + row) * Stride) + Column + col;
        var first = col < Columns ? default(TOps).ToFloat(View[index]) : 0f;
        var second = !Tf32 && col + 1 < Columns ? default(TOps).ToFloat(View[index + 1]) : 0f;
        return SsdTcLayout.Word(Tf32, first, second);
    }

    public readonly int Target(int e) => SsdTcLayout.RowMajorTarget(e);
}

/// <summary>
/// Token rows read as the columns of a tile whose reduction axis is the token (x or B·w over the
/// chunk positions): word e is tile column e % Width, word k = e / Width along the tokens, i.e. token
/// <c>RowStart + v·k</c> (and the next, for an fp16 pair; v values per word) at column
/// <c>Column + e % Width</c>, each optionally times the shared weight of its position; stored at
/// <c>column·Ld + k</c>. Tokens ≥ Rows and columns ≥ Columns read as 0. Consecutive threads read
/// consecutive columns (coalesced).
/// </summary>
internal struct SsdTcColumnWords<T, TOps, TWeighted, TTf32> : ISsdWordSource
    where T : unmanaged
    where TOps : struct, IElementOps<T>
    where TWeighted : struct, IFlag
    where TTf32 : struct, IFlag
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

    /// <summary>Whether words are TF32 values.</summary>
    private static bool Tf32 => default(TTf32).Value;

    public readonly uint Load(int e)
    {
        var k = e / Width;
        var col = e - (k * Width);
        var row = SsdTcLayout.ValuesPerWord(Tf32) * k;
        if (col >= Columns) return 0u;
        var index = ((RowStart + row) * Stride) + Column + col;
        var first = row < Rows ? default(TOps).ToFloat(View[index]) : 0f;
        var second = !Tf32 && row + 1 < Rows ? default(TOps).ToFloat(View[index + Stride]) : 0f;
        if (default(TWeighted).Value)
        {
            first *= row < Rows ? Weights[WeightOffset + row] : 0f;
            second *= !Tf32 && row + 1 < Rows ? Weights[WeightOffset + row + 1] : 0f;
        }
        return SsdTcLayout.Word(Tf32, first, second);
    }

    public readonly int Target(int e)
    {
        var k = e / Width;
        return ((e - (k * Width)) * SsdTcLayout.Ld) + k;
    }
}

/// <summary>
/// The causal weights of the diagonal product of <c>ssd.chunk_scan</c>,
/// <c>W[i,j] = CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j</c> for j ≤ i &lt; RowEnd (else 0), rounded to
/// the operand format: word e is tile row i = I0 + e / 16, j = J0 + v·(e % 16) (and the next, for an
/// fp16 pair; v values per word); stored at <c>(i − I0)·Ld + e % 16</c>.
/// </summary>
internal struct SsdTcWeightWords<TTf32> : ISsdWordSource
    where TTf32 : struct, IFlag
{
    public ArrayView<float> CB;
    public ArrayView<float> Cs;
    public ArrayView<float> Dt;
    public int CBBase;
    public int Q;
    public int I0;
    public int J0;
    public int RowEnd;

    /// <summary>Whether words are TF32 values.</summary>
    private static bool Tf32 => default(TTf32).Value;

    public readonly uint Load(int e)
    {
        var row = e / SsdTcLayout.StepWords;
        var i = I0 + row;
        var j = J0 + (SsdTcLayout.ValuesPerWord(Tf32) * (e - (row * SsdTcLayout.StepWords)));
        if (i >= RowEnd || j > i) return 0u;
        var cbRow = (CBBase + i) * Q;
        var csi = Cs[i];
        var first = CB[cbRow + j] * DeviceMath.Exp(MathF.Min(csi - Cs[j], 0f)) * Dt[j];
        var second = !Tf32 && j + 1 <= i ? CB[cbRow + j + 1] * DeviceMath.Exp(MathF.Min(csi - Cs[j + 1], 0f)) * Dt[j + 1] : 0f;
        return SsdTcLayout.Word(Tf32, first, second);
    }

    public readonly int Target(int e) => SsdTcLayout.RowMajorTarget(e);
}
