namespace WarmGate.Cli;

/// <summary>
/// Progress lines for a person at a terminal: written to stderr when stderr is a terminal (or
/// when forced, as the MSBuild task does to forward them), silent when redirected.
/// </summary>
internal sealed class Progress(TextWriter error, bool enabled)
{
    /// <summary>Progress for the current process: on when stderr is a terminal or WARMGATE_PROGRESS=1.</summary>
    public static Progress ForConsole(TextWriter error) =>
        new(error, !Console.IsErrorRedirected || Environment.GetEnvironmentVariable("WARMGATE_PROGRESS") == "1");

    public void Report(string line)
    {
        if (enabled) error.WriteLine(line);
    }
}
