namespace WarmGate.MSBuildTasks;

/// <summary>
/// The codes of every error and warning the pre-tuning task and its targets report.
/// The README lists each one with what to do about it; keep the two in step.
/// </summary>
internal static class DiagnosticCodes
{
    /// <summary>A WarmGate property has a value outside its allowed set (error).</summary>
    public const string InvalidProperty = "WG1001";

    /// <summary>No CUDA device on the build machine and <c>WarmGateWhenNoGpu=warn</c> (warning).</summary>
    public const string NoGpuWarning = "WG1002";

    /// <summary>No CUDA device on the build machine and <c>WarmGateWhenNoGpu=error</c> (error).</summary>
    public const string NoGpuError = "WG1003";

    /// <summary><c>WarmGateTuningTable</c> names a file that does not exist (error).</summary>
    public const string TuningTableMissing = "WG1004";

    /// <summary><c>WarmGateTuningTable</c> is not a tuning table: not JSON, or no <c>schemaVersion</c> (error).</summary>
    public const string TuningTableInvalid = "WG1005";

    /// <summary>The tuner assembly or the <c>dotnet</c> host that runs it cannot be found (error).</summary>
    public const string TunerNotFound = "WG1006";

    /// <summary>The tuner rejected its input (exit code 2), for example a bad model folder (error).</summary>
    public const string TunerRejectedInput = "WG1007";

    /// <summary>The tuner ran past <c>WarmGateTunerTimeout</c> and was stopped (error).</summary>
    public const string TunerTimedOut = "WG1008";

    /// <summary>The tuner failed with an unexpected exit code (error).</summary>
    public const string TunerCrashed = "WG1009";

    /// <summary>The tuner reported success but a table it reported is missing, corrupt or misnamed (error).</summary>
    public const string TunerOutputInvalid = "WG1010";

    /// <summary>The build runs on .NET Framework MSBuild, which cannot load the task; pre-tuning is skipped (warning).</summary>
    public const string UnsupportedMSBuild = "WG1011";
}
