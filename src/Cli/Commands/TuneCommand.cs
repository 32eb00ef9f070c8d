using System.CommandLine;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Commands;

/// <summary>
/// <c>warmgate tune</c>: runs the model's warmup plan with tuning on a device and writes a tuning
/// table (the tuner the MSBuild task starts). Prints progress and one <c>wrote: PATH</c> line per
/// table; exit 3 when <c>--device cuda</c> finds no GPU.
/// </summary>
internal static class TuneCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.Model();
        var device = CommonOptions.Device();
        var tuning = CommonOptions.Tuning();
        var outFile = new Option<string?>("--out") { Description = "Write the table to this file." };
        var outDir = new Option<string?>("--out-dir") { Description = "Write WarmGate.Tuning.<device>.json into this folder." };
        var command = new Command("tune", "Tune the model's kernels on this device and write a tuning table.")
        {
            model, device, tuning, outFile, outDir,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(outFile);
            var dir = parse.GetValue(outDir);
            if ((file is null) == (dir is null))
                throw new CliException("give exactly one of --out FILE or --out-dir DIR.");
            var name = parse.GetValue(model)!;
            output.WriteLine($"tuning {name} ...");
            using var runtime = Mamba2Runtime.Load(name, parse.GetValue(device), CommonOptions.TunerOptionsFor(parse.GetValue(tuning)!));
            output.WriteLine($"device: {runtime.Device.Signature}");
            var plan = WarmupPlan.For(runtime.Config, runtime.Device.IsCuda);
            var report = runtime.Warmup(plan, output.WriteLine);
            foreach (var entry in runtime.Tuner.Tuned)
                output.WriteLine($"tuned {entry.Kernel} [{entry.Key}]: {entry.Config} {entry.Milliseconds:F3} ms ({entry.Candidates.Count} candidates)");
            var builder = new TuningTableBuilder(runtime.Device.Signature);
            foreach (var entry in runtime.Tuner.Tuned) builder.Add(entry);
            var table = builder.Build();
            var path = Path.GetFullPath(file ?? Path.Combine(dir!, TuningTableSources.ResourceNameFor(table.Device)));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TuningTableWriter.WriteFile(table, path);
            output.WriteLine($"tuned {table.Entries.Count} keys in {report.Duration.TotalSeconds:F1} s ({report.Compilations} compilations)");
            output.WriteLine($"wrote: {path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
