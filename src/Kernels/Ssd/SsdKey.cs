using System.Globalization;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The tuning and compile key of an SSD prefill: the model shape plus every option that selects
/// a code path. It never holds a sequence length, token count, sequence count or batch size, so
/// one warmup per key covers every request shape.
/// </summary>
public static class SsdKey
{
    /// <summary>
    /// The key string, e.g. <c>H=8,P=16,G=2,N=16,in=f32,st=f32,D=head,z=1,init=0,sp=1,bias=1,lim=0</c>.
    /// </summary>
    public static string Of(SsdShape shape, SsdOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        var d = options.DMode switch
        {
            SsdDMode.None => "none",
            SsdDMode.PerHead => "head",
            SsdDMode.PerChannel => "chan",
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.DMode, "Unknown DMode."),
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{shape},in={options.InputDtype.Name()},st={options.StateDtype.Name()},D={d}," +
            $"z={Bit(options.HasZ)},init={Bit(options.HasInitialStates)},sp={Bit(options.DtSoftplus)}," +
            $"bias={Bit(options.HasDtBias)},lim={Bit(options.HasDtLimits)}");
    }

    private static int Bit(bool value) => value ? 1 : 0;
}
