namespace WarmGate.Cli;

/// <summary>Entry point of the <c>warmgate</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => CommandLine.Run(args, Console.Out, Console.Error);
}
