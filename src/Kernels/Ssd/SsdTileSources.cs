using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// Rows of a token-major operand (x, B or C): element e is row e / Width, column e % Width of the
/// tile at (RowStart, Column); stored at <c>row·Ld + column</c>, or transposed at
/// <c>column·Ld + row</c>. Each row may be scaled by a shared weight (B·w in <c>ssd.chunk_state</c>).
/// </summary>
internal struct SsdRowsSource<T, TOps, TTransposed, TWeighted> : ISsdTileSource
    where T : unmanaged
    where TOps : struct, IElementOps<T>
    where TTransposed : struct, IFlag
    where TWeighted : struct, IFlag
{
    public ArrayView<T> View;
    public int Stride;
    public int RowStart;
    public int Rows;
    public int Column;
    public int Columns;
    public int Width;
    public int Ld;
    public ArrayView<float> Weights;
    public int WeightOffset;

    public readonly float Load(int e)
    {
        var row = e / Width;
        var col = e - (row * Width);
        if (row >= Rows || col >= Columns) return 0f;
        var value = default(TOps).ToFloat(View[((RowStart + row) * Stride) + Column + col]);
        return default(TWeighted).Value ? value * Weights[WeightOffset + row] : value;
    }

    public readonly int Target(int e)
    {
        var row = e / Width;
        var col = e - (row * Width);
        return default(TTransposed).Value ? (col * Ld) + row : (row * Ld) + col;
    }
}

/// <summary>
/// A state (P × N, n contiguous) read as the N × P right operand of <c>ssd.chunk_scan</c>'s
/// off-diagonal product: element e is p = e / Width, n = e % Width; stored at <c>n·Ld + p</c>.
/// </summary>
internal struct SsdStateSource<TState, TStateOps> : ISsdTileSource
    where TState : unmanaged
    where TStateOps : struct, IElementOps<TState>
{
    public ArrayView<TState> View;
    public int Base;
    public int RowStride;
    public int Rows;
    public int Columns;
    public int Width;
    public int Ld;

    public readonly float Load(int e)
    {
        var row = e / Width;
        var col = e - (row * Width);
        return row < Rows && col < Columns ? default(TStateOps).ToFloat(View[Base + (row * RowStride) + col]) : 0f;
    }

    public readonly int Target(int e)
    {
        var row = e / Width;
        return ((e - (row * Width)) * Ld) + row;
    }
}

/// <summary>
/// The causal weights of <c>ssd.chunk_scan</c>'s diagonal product,
/// <c>W[i,j] = CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j</c> for j ≤ i &lt; RowEnd (else 0):
/// element e is i = I0 + e / Width, j = J0 + e % Width; stored transposed at <c>(j − J0)·Ld + (i − I0)</c>.
/// </summary>
internal struct SsdWeightSource : ISsdTileSource
{
    public ArrayView<float> CB;
    public ArrayView<float> Cs;
    public ArrayView<float> Dt;
    public int CBBase;
    public int Q;
    public int I0;
    public int J0;
    public int RowEnd;
    public int Width;
    public int Ld;

    public readonly float Load(int e)
    {
        var row = e / Width;
        var i = I0 + row;
        var j = J0 + (e - (row * Width));
        return j <= i && i < RowEnd
            ? CB[((CBBase + i) * Q) + j] * DeviceMath.Exp(MathF.Min(Cs[i] - Cs[j], 0f)) * Dt[j]
            : 0f;
    }

    public readonly int Target(int e)
    {
        var row = e / Width;
        return ((e - (row * Width)) * Ld) + row;
    }
}
