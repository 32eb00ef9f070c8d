using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Cli.Bench;

/// <summary>
/// FLOPs and compulsory bytes of the benchmarked kernels (ssd-spec §6.1): the numbers effective
/// TFLOP/s and GB/s are computed from.
/// </summary>
internal static class Costs
{
    /// <summary>
    /// FLOPs of a chunked SSD prefill of <paramref name="tokens"/> tokens at chunk size
    /// <paramref name="chunkSize"/>: <c>L·(4·H·P·N + H·P·Q + 2·G·Q·N)</c> (matrix products only,
    /// 2 per multiply-add, the full Q×Q CB tile).
    /// </summary>
    public static double SsdPrefillFlops(SsdShape shape, int tokens, int chunkSize)
    {
        ArgumentNullException.ThrowIfNull(shape);
        double h = shape.Heads, p = shape.HeadDim, g = shape.Groups, n = shape.StateSize, q = chunkSize;
        return tokens * ((4 * h * p * n) + (h * p * q) + (2 * g * q * n));
    }

    /// <summary>
    /// The ideal fused kernel's compulsory traffic (the <c>io</c> column): x and y (H·P each), B and
    /// C (G·N each) and dt (H) per token in the input dtype, plus 4·H bytes per token as the spec's
    /// §6.2 table counts them (21 472 B/token for Mamba2-2.7B in 16-bit, 42 624 in fp32):
    /// <c>L·(s·(2·H·P + 2·G·N + H) + 4·H)</c>, plus <c>s·H·P</c> per token with z.
    /// </summary>
    public static double SsdPrefillIoBytes(SsdShape shape, SsdOptions options, int tokens)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        double s = options.InputDtype.Size(), h = shape.Heads, p = shape.HeadDim, g = shape.Groups, n = shape.StateSize;
        var perToken = (s * ((2 * h * p) + (2 * g * n) + h + (options.HasZ ? h * p : 0))) + (4 * h);
        return tokens * perToken;
    }

    /// <summary>
    /// Bytes one decode step over <paramref name="batch"/> sequences must move: the state read
    /// and written (<c>2·b·H·P·N·s_state</c>), x, y and z (H·P each), dt (H), B and C (G·N each)
    /// per row in the input dtype, one slot index per row, and A, D and the dt bias (fp32).
    /// </summary>
    public static double DecodeBytes(StateUpdateShape shape, StateUpdateOptions options, int batch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        double b = batch, s = options.Input.Size(), h = shape.Heads, hp = shape.Channels, gn = shape.GroupWidth;
        var state = 2 * b * shape.SlotSize * (double)options.State.Size();
        var rows = b * s * ((2 * hp) + h + (2 * gn) + (options.Z ? hp : 0));
        var parameters = 4 * (h + (options.DtBias ? h : 0) + options.D switch
        {
            DSkip.PerHead => h,
            DSkip.PerChannel => hp,
            _ => 0,
        });
        return state + rows + (4 * b) + parameters;
    }

    /// <summary>FLOPs of one decode step: the state update and the C contraction, 2 per multiply-add each: <c>4·b·H·P·N</c>.</summary>
    public static double DecodeFlops(StateUpdateShape shape, int batch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return 4.0 * batch * shape.SlotSize;
    }

    /// <summary>GB/s (10⁹ bytes per second) for <paramref name="bytes"/> moved in <paramref name="microseconds"/>.</summary>
    public static double GigabytesPerSecond(double bytes, double microseconds) => bytes / (microseconds * 1e3);

    /// <summary>TFLOP/s (10¹² per second) for <paramref name="flops"/> done in <paramref name="microseconds"/>.</summary>
    public static double TeraflopsPerSecond(double flops, double microseconds) => flops / (microseconds * 1e6);
}
