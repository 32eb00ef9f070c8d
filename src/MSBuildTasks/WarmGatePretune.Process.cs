using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace WarmGate.MSBuildTasks;

/// <summary>How one run of the tuner process ended.</summary>
internal enum TunerOutcome
{
    /// <summary>Exit code 0.</summary>
    Succeeded,

    /// <summary>Exit code 2: usage or input error.</summary>
    RejectedInput,

    /// <summary>Exit code 3: no CUDA device.</summary>
    NoGpu,

    /// <summary>Stopped after the timeout.</summary>
    TimedOut,

    /// <summary>The build was canceled.</summary>
    Canceled,

    /// <summary>The process could not be started (ToolTask logged why).</summary>
    NotStarted,

    /// <summary>Any other non-zero exit code.</summary>
    Crashed,
}

/// <summary>The result of one tuner run.</summary>
internal sealed record TunerRun(TunerOutcome Outcome, int ExitCode, string DeviceArgument, TunerOutput Output);

/// <content>The process side: command line, host, environment and output handling.</content>
public sealed partial class WarmGatePretune
{
    /// <summary>The tuner's exit code for a usage or input error.</summary>
    internal const int ExitUsageError = 2;

    /// <summary>The tuner's exit code for 'no CUDA device' when <c>--device cuda</c> was asked.</summary>
    internal const int ExitNoGpu = 3;

    /// <summary>Read by the tuner as a table source; cleared so a build always tunes afresh.</summary>
    private const string TuningTableVariable = "WARMGATE_TUNING_TABLE";

    private string _outputDirectory = string.Empty;
    private string _modelArgument = string.Empty;
    private string _tunerPath = string.Empty;
    private string? _hostPath;
    private string _deviceArgument = string.Empty;
    private string _tuningArgument = "full";
    private TunerOutput _output = new(Directory.GetCurrentDirectory());
    private bool _exitedWithError;

    /// <inheritdoc />
    protected override string ToolName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <summary>Stdout lines arrive with this importance (and are logged with it).</summary>
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    /// <summary>
    /// Stderr lines arrive with this importance, which tells them apart from stdout lines; they are still logged
    /// at normal importance (see <see cref="LogEventsFromTextOutput"/>).
    /// </summary>
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    private TunerRun RunTuner(string deviceArgument)
    {
        _deviceArgument = deviceArgument;
        _output = new TunerOutput(_outputDirectory);
        _exitedWithError = false;
        Log.LogMessage(MessageImportance.High, "WarmGate: tuning the kernels of {0} on {1}, {2} tuning (this can take minutes)", _modelArgument, deviceArgument, _tuningArgument);

        var succeeded = base.Execute();
        var outcome = succeeded ? TunerOutcome.Succeeded
            : ToolCanceled.WaitOne(0) ? TunerOutcome.Canceled
            : !_exitedWithError ? (HasLoggedErrors ? TunerOutcome.NotStarted : TunerOutcome.TimedOut)
            : ExitCode switch
            {
                ExitUsageError => TunerOutcome.RejectedInput,
                ExitNoGpu => TunerOutcome.NoGpu,
                _ => TunerOutcome.Crashed,
            };
        return new TunerRun(outcome, ExitCode, deviceArgument, _output);
    }

    /// <inheritdoc />
    protected override string GenerateFullPathToTool() => _hostPath ?? ToolName;

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(_tunerPath);
        builder.AppendTextUnquoted(" tune");
        builder.AppendSwitchIfNotNull("--model ", _modelArgument);
        builder.AppendSwitchIfNotNull("--device ", _deviceArgument);
        builder.AppendSwitchIfNotNull("--tuning ", _tuningArgument);
        builder.AppendSwitchIfNotNull("--out-dir ", _outputDirectory);
        return builder.ToString();
    }

    /// <summary>The tuner runs in its output folder, so relative <c>wrote:</c> paths resolve there.</summary>
    protected override string GetWorkingDirectory() => _outputDirectory;

    /// <inheritdoc />
    protected override ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        var startInfo = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
        startInfo.Environment.Remove(TuningTableVariable);
        return startInfo;
    }

    /// <summary>
    /// Records every line (for <c>wrote:</c> and the error tail) and forwards it to the build log as a plain
    /// message at normal importance: never parsed as a canonical MSBuild error, because the task turns a failure
    /// into one WG error that quotes these lines, and an expected 'no CUDA device' line must not read like an
    /// error in a build that only warns.
    /// </summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        var fromStandardError = StandardErrorImportanceToUse != StandardOutputImportanceToUse
            && messageImportance == StandardErrorImportanceToUse;
        _output.Add(singleLine, fromStandardError);
        Log.LogMessage(MessageImportance.Normal, singleLine);
    }

    /// <summary>Called for a non-zero exit; the task reports it with its own code once the run is classified.</summary>
    protected override bool HandleTaskExecutionErrors()
    {
        _exitedWithError = true;
        return false;
    }
}
