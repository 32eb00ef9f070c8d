using ILGPU;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The device operands of one SSD prefill (vLLM varlen layout: no batch dimension, several
/// sequences packed along the token axis). Rows are token-major with element strides, so x, B
/// and C may be views into one wider conv output. Optional operands are null when absent and
/// must be present exactly when <see cref="SsdOptions"/> says so.
/// </summary>
/// <typeparam name="T">The input dtype: <see cref="float"/> or <see cref="Half"/>.</typeparam>
/// <typeparam name="TState">The state dtype: <see cref="float"/> or <see cref="Half"/>.</typeparam>
public sealed class SsdPrefillArgs<T, TState>
    where T : unmanaged
    where TState : unmanaged
{
    /// <summary>T, the total token count; must equal <c>CuSeqlens[^1]</c>.</summary>
    public required int Tokens { get; init; }

    /// <summary>Cumulative sequence lengths on the host: nseq + 1 entries, 0 first, strictly increasing, T last.</summary>
    public required int[] CuSeqlens { get; init; }

    /// <summary>x: <c>x[t*XStride + h*P + p]</c>; at least (T−1)·XStride + H·P elements.</summary>
    public required ArrayView<T> X { get; init; }

    /// <summary>The token stride of <see cref="X"/>, at least H·P.</summary>
    public required int XStride { get; init; }

    /// <summary>Raw dt: <c>dt[t*DtStride + h]</c>; at least (T−1)·DtStride + H elements.</summary>
    public required ArrayView<T> Dt { get; init; }

    /// <summary>The token stride of <see cref="Dt"/>, at least H.</summary>
    public required int DtStride { get; init; }

    /// <summary>A, H values (assumed &lt;= 0).</summary>
    public required ArrayView<float> A { get; init; }

    /// <summary>B: <c>B[t*BStride + g*N + n]</c>; at least (T−1)·BStride + G·N elements.</summary>
    public required ArrayView<T> B { get; init; }

    /// <summary>The token stride of <see cref="B"/>, at least G·N.</summary>
    public required int BStride { get; init; }

    /// <summary>C: <c>C[t*CStride + g*N + n]</c>; at least (T−1)·CStride + G·N elements.</summary>
    public required ArrayView<T> C { get; init; }

    /// <summary>The token stride of <see cref="C"/>, at least G·N.</summary>
    public required int CStride { get; init; }

    /// <summary>dt bias, H values; present exactly when <see cref="SsdOptions.HasDtBias"/>.</summary>
    public ArrayView<float>? DtBias { get; init; }

    /// <summary>D: H values (PerHead) or H·P values (PerChannel); absent when DMode is None.</summary>
    public ArrayView<float>? D { get; init; }

    /// <summary>z: <c>z[t*ZStride + h*P + p]</c>; present exactly when <see cref="SsdOptions.HasZ"/>.</summary>
    public ArrayView<T>? Z { get; init; }

    /// <summary>The token stride of <see cref="Z"/>, at least H·P (ignored without z).</summary>
    public int ZStride { get; init; }

    /// <summary>Initial states, nseq × H × P × N; present exactly when <see cref="SsdOptions.HasInitialStates"/>.</summary>
    public ArrayView<TState>? InitialStates { get; init; }

    /// <summary>Out: y, T × H × P contiguous.</summary>
    public required ArrayView<T> Y { get; init; }

    /// <summary>Out: the state after each sequence's last token, nseq × H × P × N.</summary>
    public required ArrayView<TState> FinalStates { get; init; }

    internal SsdOperandSizes Sizes() => new(
        Tokens, CuSeqlens, X.Length, XStride, Dt.Length, DtStride, A.Length, B.Length, BStride, C.Length, CStride,
        DtBias?.Length, D?.Length, Z?.Length, ZStride, InitialStates?.Length);
}
