using System.CommandLine;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = $"A Mamba2 checkpoint folder (config.json + model.safetensors) or {BuiltinModels.Tiny}.",
        DefaultValueFactory = _ => BuiltinModels.Tiny,
    };

    public static Option<string> Tuning() => new("--tuning")
    {
        Description = "full (measure every candidate) or quick (measure only the first: for smoke tests and slow CPU runs).",
        DefaultValueFactory = _ => "full",
    };

    /// <summary>The tuner options for a <c>--tuning</c> value on a device kind.</summary>
    public static TunerOptions? TunerOptionsFor(string tuning) => tuning switch
    {
        "full" => null,
        "quick" => new TunerOptions(0, 1, TimeSpan.Zero),
        _ => throw new CliException($"--tuning must be full or quick, not '{tuning}'."),
    };

    public static Option<DeviceKind> Device() => new("--device")
    {
        Description = "auto (CUDA when present, else CPU), cuda or cpu.",
        DefaultValueFactory = _ => DeviceKind.Auto,
        CustomParser = r => DeviceKindParser.Parse(r.Tokens.Count == 0 ? "auto" : r.Tokens[0].Value),
    };
}
