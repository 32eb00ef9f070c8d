using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The code path of the causal conv1d. Each distinct value is a distinct compilation (prefill
/// adds whether initial states are read; see <see cref="CausalConv1d.PrefillKey"/>).
/// </summary>
/// <param name="Input">The dtype of the input, the output and the conv state; weight and bias are fp32.</param>
/// <param name="Bias">Whether a bias (C values, fp32) is added.</param>
/// <param name="Silu">Whether SiLU is applied to the result.</param>
public sealed record Conv1dOptions(Dtype Input = Dtype.F32, bool Bias = true, bool Silu = true)
{
    /// <summary>The options part of a key: <c>silu=1,bias=1,in=f32</c>.</summary>
    public override string ToString() => $"silu={(Silu ? 1 : 0)},bias={(Bias ? 1 : 0)},in={Input.Name()}";
}
