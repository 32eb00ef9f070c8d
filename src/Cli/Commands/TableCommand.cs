using System.CommandLine;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Commands;

/// <summary><c>warmgate table show|diff|merge</c>: read, compare and combine tuning tables.</summary>
internal static class TableCommand
{
    public static Command Create(TextWriter output)
    {
        var table = new Command("table", "Show, compare or merge tuning tables.");
        table.Subcommands.Add(Show(output));
        table.Subcommands.Add(Diff(output));
        table.Subcommands.Add(Merge(output));
        return table;
    }

    private static Command Show(TextWriter output)
    {
        var files = new Argument<string[]>("files") { Description = "Tuning table files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("show", "Print a table: device, versions, and each kernel's chosen configuration.") { files };
        command.SetAction(parse =>
        {
            foreach (var file in parse.GetValue(files)!)
                output.WriteLine(TableShow.Format(TuningTableReader.ReadFile(file)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Diff(TextWriter output)
    {
        var before = new Argument<string>("before") { Description = "The older table." };
        var after = new Argument<string>("after") { Description = "The newer table." };
        var threshold = new Option<double>("--threshold")
        {
            Description = "Report a time change only above this percentage.",
            DefaultValueFactory = _ => TableDiff.DefaultThresholdPercent,
        };
        var command = new Command("diff", "Compare two tables entry by entry. Exit 0 when they agree, 1 when they differ.")
        {
            before, after, threshold,
        };
        command.SetAction(parse =>
        {
            var result = TableDiff.Compare(
                TuningTableReader.ReadFile(parse.GetValue(before)!),
                TuningTableReader.ReadFile(parse.GetValue(after)!),
                parse.GetValue(threshold));
            output.WriteLine(result.Format());
            return result.IsEmpty ? ExitCodes.Ok : 1;
        });
        return command;
    }

    private static Command Merge(TextWriter output)
    {
        var files = new Argument<string[]>("files") { Description = "Tables to merge, in order.", Arity = ArgumentArity.OneOrMore };
        var outFile = new Option<string?>("--out") { Description = "Write the merged table here (all inputs of one device)." };
        var outDir = new Option<string?>("--out-dir") { Description = "Write one WarmGate.Tuning.<device>.json per device here." };
        var prefer = new Option<MergePreference>("--prefer")
        {
            Description = "When two tables disagree on a kernel and key: Refuse (default), First, Second or Faster.",
            DefaultValueFactory = _ => MergePreference.Refuse,
        };
        var command = new Command("merge", "Combine tables; tables of different devices stay separate.") { files, outFile, outDir, prefer };
        command.SetAction(parse =>
        {
            var merged = TableMerge.Merge(
                parse.GetValue(files)!.Select(TuningTableReader.ReadFile), parse.GetValue(prefer));
            var file = parse.GetValue(outFile);
            var dir = parse.GetValue(outDir);
            if ((file is null) == (dir is null))
                throw new CliException("give exactly one of --out FILE or --out-dir DIR.");
            if (file is not null)
            {
                if (merged.Count != 1)
                    throw new CliException($"the inputs cover {merged.Count} devices; use --out-dir to write one table per device.");
                Write(merged[0], file, output);
            }
            else
            {
                Directory.CreateDirectory(dir!);
                foreach (var table in merged)
                    Write(table, Path.Combine(dir!, TuningTableSources.ResourceNameFor(table.Device)), output);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(TuningTable table, string path, TextWriter output)
    {
        var changed = TuningTableWriter.WriteFile(table, path);
        output.WriteLine($"{(changed ? "wrote" : "unchanged")}: {Path.GetFullPath(path)} ({table.Entries.Count} entries, {table.Device})");
    }
}
