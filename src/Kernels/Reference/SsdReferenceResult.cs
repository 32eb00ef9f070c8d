namespace WarmGate.Kernels.Reference;

/// <summary>The outputs of an SSD prefill computed in float64 on the host.</summary>
/// <param name="Y">y, T × H × P (token-major, contiguous).</param>
/// <param name="FinalStates">The state after each sequence's last token, nseq × H × P × N.</param>
public sealed record SsdReferenceResult(double[] Y, double[] FinalStates);

/// <summary>The outputs of the reference cumsum stage, both H × chunks × Q.</summary>
/// <param name="Dt">Processed dt (bias, softplus, clamp); 0 past a chunk's real length.</param>
/// <param name="DACumsum">The inclusive cumulative sum of dt·A inside each chunk; past the real length it repeats the chunk total.</param>
public sealed record SsdCumsumResult(double[] Dt, double[] DACumsum);
