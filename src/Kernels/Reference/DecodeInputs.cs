namespace WarmGate.Kernels.Reference;

/// <summary>
/// Dense float64 inputs of the decode reference: <see cref="Rows"/> rows, each a sequence (one
/// decode step over a batch) or a token (the sequential recurrence over one sequence).
/// </summary>
public sealed record DecodeInputs
{
    /// <summary>The number of rows.</summary>
    public required int Rows { get; init; }

    /// <summary>x: rows × H·P.</summary>
    public required double[] X { get; init; }

    /// <summary>dt before bias and softplus: rows × H.</summary>
    public required double[] Dt { get; init; }

    /// <summary>A: H.</summary>
    public required double[] A { get; init; }

    /// <summary>B: rows × G·N.</summary>
    public required double[] B { get; init; }

    /// <summary>C: rows × G·N.</summary>
    public required double[] C { get; init; }

    /// <summary>D: H or H·P, as the options say; null when none.</summary>
    public double[]? D { get; init; }

    /// <summary>z: rows × H·P, or null.</summary>
    public double[]? Z { get; init; }

    /// <summary>dt bias: H, or null.</summary>
    public double[]? DtBias { get; init; }
}
