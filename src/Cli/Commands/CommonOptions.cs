using System.CommandLine;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;

namespace WarmGate.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = $"A Mamba2 checkpoint folder (config.json + model.safetensors) or {BuiltinModels.Tiny}.",
        DefaultValueFactory = _ => BuiltinModels.Tiny,
    };

    public static Option<DeviceKind> Device() => new("--device")
    {
        Description = "auto (CUDA when present, else CPU), cuda or cpu.",
        DefaultValueFactory = _ => DeviceKind.Auto,
        CustomParser = r => DeviceKindParser.Parse(r.Tokens.Count == 0 ? "auto" : r.Tokens[0].Value),
    };
}
