namespace WarmGate.MSBuildTasks;

/// <summary>Which device the build asks the tuner to tune on (<c>WarmGateDevice</c>).</summary>
internal enum PretuneDevice
{
    /// <summary>The GPU when there is one; what happens without one is <see cref="NoGpuPolicy"/>'s call.</summary>
    Auto,

    /// <summary>A CUDA GPU; what happens without one is <see cref="NoGpuPolicy"/>'s call.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator (slow; for machines without a GPU that still want a table).</summary>
    Cpu,
}

/// <summary>What the build does when a GPU was asked for and there is none (<c>WarmGateWhenNoGpu</c>).</summary>
internal enum NoGpuPolicy
{
    /// <summary>Warn (WG1002) and embed <c>WarmGateTuningTable</c> if set; kernels tune at warmup otherwise.</summary>
    Warn,

    /// <summary>Fail the build (WG1003).</summary>
    Error,

    /// <summary>Tune on the CPU instead and embed that table.</summary>
    Cpu,
}

/// <summary>How thoroughly the tuner measures (<c>WarmGateTuning</c>, the tuner's <c>--tuning</c>).</summary>
internal enum PretuneTuning
{
    /// <summary>Measure every candidate configuration (the default; what a production table needs).</summary>
    Full,

    /// <summary>
    /// Measure only the first candidate of each key: every key still gets an entry, so warmup tunes nothing,
    /// but the choices are not the fastest. For smoke tests and slow CPU builds.
    /// </summary>
    Quick,
}

/// <summary>Parses the string values of the WarmGate MSBuild properties.</summary>
internal static class PretuneOptions
{
    /// <summary>The values <c>WarmGateDevice</c> accepts, as the README spells them.</summary>
    public const string DeviceValues = "auto, cuda, cpu";

    /// <summary>The values <c>WarmGateWhenNoGpu</c> accepts, as the README spells them.</summary>
    public const string NoGpuPolicyValues = "warn, error, cpu";

    /// <summary>The values <c>WarmGateTuning</c> accepts, as the README spells them.</summary>
    public const string TuningValues = "full, quick";

    /// <summary>Parses a <c>WarmGateDevice</c> value; empty means <see cref="PretuneDevice.Auto"/>.</summary>
    /// <returns>False when the value is not one of <see cref="DeviceValues"/> (case-insensitive).</returns>
    public static bool TryParseDevice(string? value, out PretuneDevice device)
    {
        switch (Normalize(value))
        {
            case "" or "auto":
                device = PretuneDevice.Auto;
                return true;
            case "cuda":
                device = PretuneDevice.Cuda;
                return true;
            case "cpu":
                device = PretuneDevice.Cpu;
                return true;
            default:
                device = default;
                return false;
        }
    }

    /// <summary>Parses a <c>WarmGateWhenNoGpu</c> value; empty means <see cref="NoGpuPolicy.Warn"/>.</summary>
    /// <returns>False when the value is not one of <see cref="NoGpuPolicyValues"/> (case-insensitive).</returns>
    public static bool TryParseNoGpuPolicy(string? value, out NoGpuPolicy policy)
    {
        switch (Normalize(value))
        {
            case "" or "warn":
                policy = NoGpuPolicy.Warn;
                return true;
            case "error":
                policy = NoGpuPolicy.Error;
                return true;
            case "cpu":
                policy = NoGpuPolicy.Cpu;
                return true;
            default:
                policy = default;
                return false;
        }
    }

    /// <summary>Parses a <c>WarmGateTuning</c> value; empty means <see cref="PretuneTuning.Full"/>.</summary>
    /// <returns>False when the value is not one of <see cref="TuningValues"/> (case-insensitive).</returns>
    public static bool TryParseTuning(string? value, out PretuneTuning tuning)
    {
        switch (Normalize(value))
        {
            case "" or "full":
                tuning = PretuneTuning.Full;
                return true;
            case "quick":
                tuning = PretuneTuning.Quick;
                return true;
            default:
                tuning = default;
                return false;
        }
    }

    /// <summary>The <c>--tuning</c> argument the tuner gets for a tuning choice.</summary>
    public static string TunerArgument(PretuneTuning tuning) => tuning == PretuneTuning.Quick ? "quick" : "full";

    /// <summary>The <c>--device</c> argument the tuner gets for a device choice.</summary>
    public static string TunerArgument(PretuneDevice device) => device == PretuneDevice.Cpu ? "cpu" : "cuda";

    private static string Normalize(string? value) => (value ?? string.Empty).Trim().ToLowerInvariant();
}
