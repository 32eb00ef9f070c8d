using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The inputs of an SSD prefill as host arrays (fp32 values, already rounded to the input and
/// state dtypes when those are fp16), in the varlen layout of <see cref="SsdPrefillArgs{T, TState}"/>:
/// token-major rows with element strides, several sequences packed along the token axis.
/// Used by the reference, by tests and by the host entry point of <see cref="SsdPrefill"/>.
/// </summary>
public sealed record SsdHostInputs
{
    /// <summary>T, the total token count; must equal <c>CuSeqlens[^1]</c>.</summary>
    public required int Tokens { get; init; }

    /// <summary>Cumulative sequence lengths, nseq + 1 entries: 0 first, strictly increasing, T last.</summary>
    public required int[] CuSeqlens { get; init; }

    /// <summary>x, T rows of H·P: <c>x[t*XStride + h*P + p]</c>.</summary>
    public required float[] X { get; init; }

    /// <summary>The token stride of <see cref="X"/>, at least H·P.</summary>
    public required int XStride { get; init; }

    /// <summary>Raw dt (before bias and softplus), T rows of H: <c>dt[t*DtStride + h]</c>.</summary>
    public required float[] Dt { get; init; }

    /// <summary>The token stride of <see cref="Dt"/>, at least H.</summary>
    public required int DtStride { get; init; }

    /// <summary>A, one value per head (assumed &lt;= 0).</summary>
    public required float[] A { get; init; }

    /// <summary>B, T rows of G·N: <c>B[t*BStride + g*N + n]</c>.</summary>
    public required float[] B { get; init; }

    /// <summary>The token stride of <see cref="B"/>, at least G·N.</summary>
    public required int BStride { get; init; }

    /// <summary>C, T rows of G·N: <c>C[t*CStride + g*N + n]</c>.</summary>
    public required float[] C { get; init; }

    /// <summary>The token stride of <see cref="C"/>, at least G·N.</summary>
    public required int CStride { get; init; }

    /// <summary>dt bias, one value per head; present exactly when <see cref="SsdOptions.HasDtBias"/>.</summary>
    public float[]? DtBias { get; init; }

    /// <summary>D, H or H·P values by <see cref="SsdOptions.DMode"/>; absent when it is None.</summary>
    public float[]? D { get; init; }

    /// <summary>The gate z, T rows of H·P; present exactly when <see cref="SsdOptions.HasZ"/>.</summary>
    public float[]? Z { get; init; }

    /// <summary>The token stride of <see cref="Z"/>, at least H·P (ignored without z).</summary>
    public int ZStride { get; init; }

    /// <summary>Initial states, nseq × H × P × N; present exactly when <see cref="SsdOptions.HasInitialStates"/>.</summary>
    public float[]? InitialStates { get; init; }

    /// <summary>The number of sequences.</summary>
    public int Sequences => CuSeqlens.Length - 1;

    /// <summary>
    /// Seeded random inputs for a shape and options: x, B, C in [-1, 1), dt raw in [-3, 1) with
    /// softplus or [0, 0.5) without, A in [-2, -0.5), dt bias in [-1, 0.5), D in [-1, 1), z in
    /// [-2, 2), initial states in [-1, 1). Values are rounded to the input and state dtypes. Stride
    /// padding (extra elements per token row of x, dt, B, C, z) is filled with NaN, so a kernel
    /// that reads it poisons its output.
    /// </summary>
    /// <param name="shape">The layer shape.</param>
    /// <param name="options">Which inputs exist and their dtypes.</param>
    /// <param name="sequenceLengths">The length of each sequence, each at least 1.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="stridePadding">Extra elements at the end of each token row.</param>
    public static SsdHostInputs Random(
        SsdShape shape, SsdOptions options, IReadOnlyList<int> sequenceLengths, int seed, int stridePadding = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sequenceLengths);
        shape.Validate(nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(stridePadding);
        var cu = new int[sequenceLengths.Count + 1];
        for (var s = 0; s < sequenceLengths.Count; s++)
            cu[s + 1] = cu[s] + sequenceLengths[s];
        SsdChunkTable.ValidateCuSeqlens(cu, nameof(sequenceLengths));
        var tokens = cu[^1];
        var random = new Random(seed);
        var input = options.InputDtype;
        var state = options.StateDtype;
        int hp = shape.HeadWidth, gn = shape.GroupWidth, h = shape.Heads;
        return new SsdHostInputs
        {
            Tokens = tokens,
            CuSeqlens = cu,
            X = Rows(random, tokens, hp, stridePadding, -1, 1, input),
            XStride = hp + stridePadding,
            Dt = options.DtSoftplus
                ? Rows(random, tokens, h, stridePadding, -3, 1, input)
                : Rows(random, tokens, h, stridePadding, 0, 0.5, input),
            DtStride = h + stridePadding,
            A = Uniform(random, h, -2, -0.5, Dtype.F32),
            B = Rows(random, tokens, gn, stridePadding, -1, 1, input),
            BStride = gn + stridePadding,
            C = Rows(random, tokens, gn, stridePadding, -1, 1, input),
            CStride = gn + stridePadding,
            DtBias = options.HasDtBias ? Uniform(random, h, -1, 0.5, Dtype.F32) : null,
            D = options.DMode switch
            {
                SsdDMode.PerHead => Uniform(random, h, -1, 1, Dtype.F32),
                SsdDMode.PerChannel => Uniform(random, hp, -1, 1, Dtype.F32),
                _ => null,
            },
            Z = options.HasZ ? Rows(random, tokens, hp, stridePadding, -2, 2, input) : null,
            ZStride = hp + stridePadding,
            InitialStates = options.HasInitialStates
                ? Uniform(random, sequenceLengths.Count * shape.StatePerSequence, -1, 1, state)
                : null,
        };
    }

    /// <summary>Rounds an fp32 value to <paramref name="dtype"/> and back.</summary>
    public static float Round(float value, Dtype dtype) => dtype == Dtype.F16 ? (float)(Half)value : value;

    private static float[] Uniform(Random random, int count, double lo, double hi, Dtype dtype)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = Round((float)(lo + (random.NextDouble() * (hi - lo))), dtype);
        return values;
    }

    private static float[] Rows(Random random, int rows, int width, int padding, double lo, double hi, Dtype dtype)
    {
        var stride = width + padding;
        var values = new float[rows * stride];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < width; i++)
                values[(r * stride) + i] = Round((float)(lo + (random.NextDouble() * (hi - lo))), dtype);
            for (var i = width; i < stride; i++)
                values[(r * stride) + i] = float.NaN;
        }
        return values;
    }
}
