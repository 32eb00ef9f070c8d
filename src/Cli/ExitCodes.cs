namespace WarmGate.Cli;

/// <summary>The exit codes of <c>warmgate</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>check</c>: nothing tuned or compiled after load.</summary>
    public const int Ok = 0;

    /// <summary><c>check</c>: something tuned or compiled after load.</summary>
    public const int PostLoadWork = 1;

    /// <summary>A usage error or bad input (a malformed model, table or argument).</summary>
    public const int BadInput = 2;

    /// <summary>No CUDA device although one was required.</summary>
    public const int NoGpu = 3;

    /// <summary>An unexpected failure (a bug or a device fault).</summary>
    public const int Crash = 70;
}
