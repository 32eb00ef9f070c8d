using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>The end-to-end check shared by the CPU and CUDA test classes.</summary>
internal static class SsdChecks
{
    /// <summary>The tolerance for a run: fp32 1e-4, fp16 inputs or states 2e-2, fp32 inputs on TF32 tensor cores 1e-3 (of max|ref|).</summary>
    public static double Tolerance(SsdOptions options, SsdPrefillConfig? config = null) =>
        options.InputDtype == Dtype.F16 || options.StateDtype == Dtype.F16 ? SsdAssert.F16
        : config is { TensorCores: true } ? SsdAssert.Tf32
        : SsdAssert.F32;

    /// <summary>Runs the prefill and checks y and the final states against the float64 recurrence.</summary>
    public static SsdHostResult AgainstRecurrence(
        SsdPrefill prefill, SsdShape shape, SsdOptions options, SsdHostInputs inputs, SsdPrefillConfig config)
    {
        var expected = SsdReference.Recurrence(inputs, shape, options);
        var actual = prefill.Run(inputs, shape, options, config);
        var what = $"{SsdKey.Of(shape, options)}, {config}";
        SsdAssert.Close(actual.Y, expected.Y, Tolerance(options, config), $"y ({what})");
        SsdAssert.Close(actual.FinalStates, expected.FinalStates, Tolerance(options, config), $"final states ({what})");
        return actual;
    }
}
