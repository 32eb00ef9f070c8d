using System.Text.Json;

// Implements the `warmgate tune` contract the MSBuild task codes against:
//   warmgate tune --model <DIR|builtin:NAME> --device <auto|cuda|cpu> --out-dir <DIR>
// exit 0: wrote one table per device (stdout 'wrote: <full path>'); 2: usage or input error; 3: no CUDA device.
// There is never a GPU here unless WARMGATE_FAKE_GPU names one (e.g. "NVIDIA H200").

if (args.Length == 0 || args[0] != "tune")
{
    return Usage("expected the 'tune' command");
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i += 2)
{
    if (i + 1 >= args.Length || !args[i].StartsWith("--", StringComparison.Ordinal))
    {
        return Usage($"unexpected argument '{args[i]}'");
    }

    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--model", out var model) || !options.TryGetValue("--out-dir", out var outDir))
{
    return Usage("--model and --out-dir are required");
}

var device = options.GetValueOrDefault("--device", "auto");
if (!model.StartsWith("builtin:", StringComparison.Ordinal) && !File.Exists(Path.Combine(model, "config.json")))
{
    Console.Error.WriteLine($"error: model folder '{model}' has no config.json");
    return 2;
}

string deviceName;
switch (device)
{
    case "cpu":
        deviceName = "CPU";
        break;
    case "auto" or "cuda":
        var gpu = Environment.GetEnvironmentVariable("WARMGATE_FAKE_GPU");
        if (string.IsNullOrEmpty(gpu))
        {
            Console.Error.WriteLine("error: no CUDA device found (--device " + device + ")");
            return 3;
        }

        deviceName = gpu;
        break;
    default:
        return Usage($"--device must be auto, cuda or cpu, not '{device}'");
}

string[] kernels = ["ssd.chunk_cumsum", "ssd.chunk_state", "ssd.chunk_scan"];
for (var i = 0; i < kernels.Length; i++)
{
    Console.WriteLine($"tuning {kernels[i]} [H=4,P=16,N=16] {i + 1}/{kernels.Length} on {deviceName}");
}

var slug = new string(deviceName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
Directory.CreateDirectory(outDir);
var path = Path.GetFullPath(Path.Combine(outDir, $"WarmGate.Tuning.{slug}.json"));
var table = new
{
    schemaVersion = 1,
    device = new { backend = device == "cpu" ? "cpu" : "cuda", name = deviceName },
    model,
    generator = "MSBuildFakeTuner",
    entries = Array.Empty<object>(),
};
var temporary = path + ".tmp";
File.WriteAllText(temporary, JsonSerializer.Serialize(table));
File.Move(temporary, path, overwrite: true);
Console.WriteLine($"wrote: {path}");
return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine($"usage: warmgate tune --model <DIR|builtin:tiny> --device <auto|cuda|cpu> --out-dir <DIR> ({problem})");
    return 2;
}
