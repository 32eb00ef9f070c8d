using System.CommandLine;
using WarmGate.Cli.Commands;
using WarmGate.Kernels.Devices;

namespace WarmGate.Cli;

/// <summary>Builds the <c>warmgate</c> command tree and maps errors to exit codes.</summary>
internal static class CommandLine
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine($"warmgate: {e.Message}");
            error.WriteLine("Run 'warmgate --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            error.WriteLine($"warmgate: error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (NoDeviceException ex)
        {
            error.WriteLine($"warmgate: error: {ex.Message}");
            return ExitCodes.NoGpu;
        }
        catch (Exception ex) when (ErrorMapping.IsInputError(ex))
        {
            error.WriteLine($"warmgate: error: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("WarmGate: load, warm up, serve, and prove nothing compiles or tunes after load.");
        root.Subcommands.Add(DevicesCommand.Create(output));
        root.Subcommands.Add(TableCommand.Create(output));
        root.Subcommands.Add(CheckCommand.Create(output, error));
        root.Subcommands.Add(TuneCommand.Create(output));
        root.Subcommands.Add(GenerateCommand.Create(output));
        root.Subcommands.Add(Bench.BenchCommand.Create(output, error));
        return root;
    }
}
