namespace WarmGate.Cli;

/// <summary>An error a user can act on, with the exit code it ends the command with.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the error.</summary>
    public CliException(string message, int exitCode = ExitCodes.BadInput)
        : base(message) => ExitCode = exitCode;

    /// <summary>Creates the error with a default message.</summary>
    public CliException()
        : this("warmgate failed.")
    {
    }

    /// <summary>Creates the error with an inner cause.</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.BadInput;

    /// <summary>The exit code.</summary>
    public int ExitCode { get; }
}
