using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>How the skip term D·x is applied.</summary>
public enum SsdDMode
{
    /// <summary>No D term.</summary>
    None,

    /// <summary>D has shape (H): one value per head.</summary>
    PerHead,

    /// <summary>D has shape (H, P): one value per channel.</summary>
    PerChannel,
}

/// <summary>
/// The code-path options of an SSD prefill: which optional inputs are present, how dt is
/// processed, and the storage dtypes. Each flag selects a kernel specialization.
/// </summary>
public sealed record SsdOptions
{
    /// <summary>Apply the threshold-20 softplus to dt + dt_bias: <c>u &gt; 20 ? u : log(1 + e^u)</c>.</summary>
    public bool DtSoftplus { get; init; }

    /// <summary>Lower bound of processed dt (default 0). The clamp is always applied.</summary>
    public float DtMin { get; init; }

    /// <summary>Upper bound of processed dt (default +∞).</summary>
    public float DtMax { get; init; } = float.PositiveInfinity;

    /// <summary>Whether a per-head dt bias (H, fp32) is given.</summary>
    public bool HasDtBias { get; init; }

    /// <summary>Whether and how D is given.</summary>
    public SsdDMode DMode { get; init; }

    /// <summary>Whether the gate z is given: y ← y · z · σ(z).</summary>
    public bool HasZ { get; init; }

    /// <summary>Whether per-sequence initial states are given (otherwise each sequence starts from 0).</summary>
    public bool HasInitialStates { get; init; }

    /// <summary>The dtype of x, dt, B, C, z and y.</summary>
    public Dtype InputDtype { get; init; } = Dtype.F32;

    /// <summary>The dtype of the initial, passed and final states.</summary>
    public Dtype StateDtype { get; init; } = Dtype.F32;

    /// <summary>Whether the dt limits differ from the default (0, +∞).</summary>
    public bool HasDtLimits => DtMin != 0f || !float.IsPositiveInfinity(DtMax);

    /// <summary>Throws unless the dt limits are ordered numbers.</summary>
    /// <param name="paramName">The argument name the exception carries.</param>
    /// <exception cref="ArgumentException">DtMin or DtMax is NaN, or DtMin &gt; DtMax.</exception>
    public void Validate(string paramName = "options")
    {
        if (float.IsNaN(DtMin) || float.IsNaN(DtMax) || DtMin > DtMax)
            throw new ArgumentException(
                $"The dt limits must satisfy DtMin <= DtMax; got DtMin={DtMin}, DtMax={DtMax}.", paramName);
        if (!Enum.IsDefined(DMode))
            throw new ArgumentException($"Unknown DMode {DMode}.", paramName);
    }
}
