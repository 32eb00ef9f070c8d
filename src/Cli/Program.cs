namespace WarmGate.Cli;

/// <summary>Entry point of the <c>warmgate</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args) => CommandLine.Build().Parse(args).Invoke();
}
