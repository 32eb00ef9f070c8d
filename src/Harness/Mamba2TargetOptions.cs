using System.Reflection;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Harness;

/// <summary>
/// What a <see cref="Mamba2Target"/> loads and how. Each setting left null falls back to its
/// environment variable, then to a default: the code names what a test project always needs,
/// the environment what one run needs (for example a real checkpoint on the GPU runner).
/// </summary>
public sealed record Mamba2TargetOptions
{
    /// <summary>
    /// <c>builtin:tiny</c> or a checkpoint folder (config.json and safetensors); when null,
    /// <c>WARMGATE_MODEL</c>, then <c>builtin:tiny</c>. A relative folder is resolved against
    /// the current directory when the target is created.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>The accelerator; when null, <c>WARMGATE_DEVICE</c> (auto, cuda, cpu), then <see cref="DeviceKind.Auto"/>.</summary>
    public DeviceKind? Device { get; init; }

    /// <summary>
    /// How hard warmup tunes keys no table covers; when null, <c>WARMGATE_TUNE</c> (quick, full),
    /// then <see cref="TuneMode.Quick"/> on the CPU accelerator and <see cref="TuneMode.Full"/> on CUDA.
    /// </summary>
    public TuneMode? Tune { get; init; }

    /// <summary>Exact tuner settings; when set they win over <see cref="Tune"/> and <c>WARMGATE_TUNE</c>.</summary>
    public TunerOptions? TunerOptions { get; init; }

    /// <summary>Called with one line per warmup step (<see cref="Mamba2Fixture"/> sends them to the diagnostic messages).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>
    /// Reads an environment variable (<c>WARMGATE_MODEL</c>, <c>WARMGATE_DEVICE</c>,
    /// <c>WARMGATE_TUNE</c>, <c>WARMGATE_TUNING_TABLE</c>); <see cref="System.Environment.GetEnvironmentVariable(string)"/> when null.
    /// </summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>
    /// The assemblies searched for embedded tables (<c>WarmGate.Tuning.*.json</c>), in precedence
    /// order; when null, every assembly loaded when the target loads, the entry assembly first
    /// (<see cref="TuningTableSources.LoadedAssemblies"/>).
    /// </summary>
    public IReadOnlyList<Assembly>? TableAssemblies { get; init; }
}
