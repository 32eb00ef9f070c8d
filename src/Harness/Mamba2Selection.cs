using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;

namespace WarmGate.Harness;

/// <summary>
/// Which model, device and tune mode a <see cref="Mamba2Target"/> uses: the options, then the
/// environment variables, then the defaults, each with where it came from (for messages).
/// Invalid environment values throw here, before anything is loaded.
/// </summary>
/// <param name="Model">The model: <c>builtin:...</c> or a full folder path.</param>
/// <param name="ModelOrigin"><c>options</c>, <c>WARMGATE_MODEL</c> or <c>default</c>.</param>
/// <param name="Device">The device kind asked for.</param>
/// <param name="Tune">The tune mode asked for, or null for the device's default.</param>
internal sealed record Mamba2Selection(string Model, string ModelOrigin, DeviceKind Device, TuneMode? Tune)
{
    public const string ModelVariable = "WARMGATE_MODEL";
    public const string DeviceVariable = "WARMGATE_DEVICE";
    public const string TuneVariable = "WARMGATE_TUNE";

    public static Mamba2Selection Resolve(Mamba2TargetOptions options, Func<string, string?> environment)
    {
        var (model, origin) = options.Model is { } fromOptions ? (fromOptions, "options")
            : Read(environment, ModelVariable) is { } fromEnvironment ? (fromEnvironment, ModelVariable)
            : (BuiltinModels.Tiny, "default");
        if (string.IsNullOrWhiteSpace(model))
            throw new WarmGateConfigurationException(
                $"Mamba2Target: the model named in {origin} is empty: name {BuiltinModels.Tiny} or a checkpoint folder.");
        model = model.Trim();
        if (!BuiltinModels.IsBuiltin(model))
            model = Path.GetFullPath(model);
        return new Mamba2Selection(model, origin, options.Device ?? ReadDevice(environment), options.Tune ?? ReadTune(environment));
    }

    private static DeviceKind ReadDevice(Func<string, string?> environment)
    {
        if (Read(environment, DeviceVariable) is not { } text) return DeviceKind.Auto;
        try
        {
            return DeviceKindParser.Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new WarmGateConfigurationException(
                $"{DeviceVariable} is '{text}', which is not a device: use auto, cuda or cpu, or unset it.", ex);
        }
    }

    private static TuneMode? ReadTune(Func<string, string?> environment) =>
        Read(environment, TuneVariable) is not { } text ? null
        : text.ToLowerInvariant() switch
        {
            "quick" => TuneMode.Quick,
            "full" => TuneMode.Full,
            _ => throw new WarmGateConfigurationException(
                $"{TuneVariable} is '{text}', which is not a tune mode: use quick or full, or unset it."),
        };

    private static string? Read(Func<string, string?> environment, string name) =>
        environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
