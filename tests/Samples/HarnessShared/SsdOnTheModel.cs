using WarmGate.Kernels.Model;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Samples;

/// <summary>
/// A call the model's warmup plan does not cover: the SSD layer run directly on the model's
/// kernel registry with a dtype or gating the model never uses (the model runs fp32 without z),
/// as code that reuses a loaded model's registry for its own SSD work would. Its kernels compile
/// on first use, after load. Returns the largest error against the float64 reference, relative
/// to the reference's largest value.
/// </summary>
public static class SsdOnTheModel
{
    public static double RelativeError(Mamba2Runtime runtime, Dtype input, Dtype state, bool gateWithZ = false)
    {
        var c = runtime.Config;
        var shape = new SsdShape(c.NumHeads, c.HeadDim, c.NGroups, c.StateSize);
        var options = new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasZ = gateWithZ,
            InputDtype = input, StateDtype = state,
        };
        var inputs = SsdHostInputs.Random(shape, options, sequenceLengths: [c.ChunkSize + 3], seed: 11);
        using var prefill = new SsdPrefill(runtime.Registry);
        var y = prefill.Run(inputs, shape, options, SsdPrefillConfig.Default(runtime.Device.IsCuda)).Y;
        var expected = SsdReference.Recurrence(inputs, shape, options).Y;
        var scale = expected.Max(Math.Abs);
        return y.Select((v, i) => Math.Abs(v - expected[i])).Max() / scale;
    }
}
