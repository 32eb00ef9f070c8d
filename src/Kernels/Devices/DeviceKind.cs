namespace WarmGate.Kernels.Devices;

/// <summary>Which accelerator WarmGate should run kernels on.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when a CUDA device is present, otherwise ILGPU's CPU accelerator.</summary>
    Auto,

    /// <summary>The first CUDA device; an error when there is none.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator (an emulator: correct but slow).</summary>
    Cpu,
}

/// <summary>Parsing of <see cref="DeviceKind"/> from user input (command line, MSBuild, environment).</summary>
public static class DeviceKindParser
{
    /// <summary>Parses <c>auto</c>, <c>cuda</c> or <c>cpu</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The text names no known device kind.</exception>
    public static DeviceKind Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "auto" or "" => DeviceKind.Auto,
            "cuda" or "gpu" => DeviceKind.Cuda,
            "cpu" => DeviceKind.Cpu,
            _ => throw new ArgumentException(
                $"Unknown device '{text}': expected auto, cuda or cpu.", nameof(text)),
        };
    }
}
