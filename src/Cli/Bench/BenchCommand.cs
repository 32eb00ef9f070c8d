using System.CommandLine;
using WarmGate.Cli.Commands;
using WarmGate.Kernels.Model;

namespace WarmGate.Cli.Bench;

/// <summary>
/// <c>warmgate bench</c>: kernel and start-up benchmarks, one JSON line per result on stdout,
/// progress on stderr.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var device = CommonOptions.Device();
        var only = new Option<string?>("--only")
        {
            Description = $"Run only these benchmarks, comma-separated: {string.Join(", ", BenchKinds.All)} (default: all).",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "Tiny shapes and few runs, for the CPU accelerator (tests, CI): about a minute there.",
        };
        var runs = new Option<int?>("--runs")
        {
            Description = "Timed runs per kernel measurement (default 50; 3 with --quick).",
        };
        var outFile = new Option<string?>("--out")
        {
            Description = "Also write the JSON lines to this file (FILE.partial while running).",
        };
        var model = new Option<string?>("--model")
        {
            Description = $"Also run startup and tuning-quality on this Mamba2 checkpoint folder ({BuiltinModels.Tiny} always runs).",
        };
        var command = new Command(
            "bench",
            "Kernel and start-up benchmarks: ssd-prefill, ssd-stages, decode, startup, tuning-quality. One JSON line per result on stdout; " +
            $"exit {BenchRunner.RefusedExitCode} when a kernel's output missed its tolerance against the float64 reference " +
            "or a swept candidate failed to compile or launch (its line names it).")
        {
            device, only, quick, runs, outFile, model,
        };
        command.SetAction(parse =>
        {
            var settings = BenchSettings.Create(
                parse.GetValue(device), parse.GetValue(only), parse.GetValue(quick), parse.GetValue(runs),
                parse.GetValue(outFile), parse.GetValue(model));
            return BenchRunner.Run(settings, output, error);
        });
        return command;
    }
}
