using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The code path of a selective state update: dtypes and which optional inputs are present.
/// Each distinct value of these flags is a distinct kernel compilation; the dt limits are
/// run-time values (not part of the key).
/// </summary>
/// <param name="Input">The dtype of x, dt, B, C, z and y.</param>
/// <param name="State">The dtype of the state cache; arithmetic is fp32 either way.</param>
/// <param name="D">The skip term: none, one per head (H) or one per channel (H·P); D is fp32.</param>
/// <param name="Z">Whether a gate z is given: <c>y ← y·z·σ(z)</c>.</param>
/// <param name="DtBias">Whether a dt bias (H, fp32) is added to dt.</param>
/// <param name="DtSoftplus">Whether softplus (threshold 20) is applied to dt + bias.</param>
/// <param name="DtMin">Lower clamp of the processed dt (Mamba2's time_step_limit; none by default, as in the Triton kernel).</param>
/// <param name="DtMax">Upper clamp of the processed dt.</param>
public sealed record StateUpdateOptions(
    Dtype Input = Dtype.F32,
    Dtype State = Dtype.F32,
    DSkip D = DSkip.PerHead,
    bool Z = false,
    bool DtBias = true,
    bool DtSoftplus = true,
    float DtMin = float.NegativeInfinity,
    float DtMax = float.PositiveInfinity)
{
    /// <summary>The options part of a key: <c>in=f32,st=f32,D=head,z=0,sp=1,bias=1</c>.</summary>
    public override string ToString()
    {
        var d = D switch
        {
            DSkip.None => "none",
            DSkip.PerHead => "head",
            DSkip.PerChannel => "chan",
            _ => throw new ArgumentOutOfRangeException(nameof(D), D, "Unknown D shape."),
        };
        return $"in={Input.Name()},st={State.Name()},D={d},z={Bit(Z)},sp={Bit(DtSoftplus)},bias={Bit(DtBias)}";
    }

    private static char Bit(bool value) => value ? '1' : '0';
}
