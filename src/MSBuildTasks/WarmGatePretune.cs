using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace WarmGate.MSBuildTasks;

/// <summary>
/// Runs <c>warmgate tune</c> as a separate process (<c>dotnet warmgate.dll tune ...</c>; ILGPU and the GPU
/// driver never load into MSBuild), forwards its progress to the build log and returns the tables it wrote,
/// checked, as items ready to embed. Without a GPU it follows <see cref="WhenNoGpu"/>.
/// </summary>
/// <remarks>
/// The targets in <c>build/WarmGate.MSBuildTasks.targets</c> call this task; properties named in messages are
/// the MSBuild properties a project sets (<c>WarmGateDevice</c> for <see cref="Device"/>, and so on).
/// </remarks>
public sealed partial class WarmGatePretune : ToolTask
{
    /// <summary>The model to tune for: a model folder (config.json, model.safetensors) or <c>builtin:&lt;name&gt;</c>.</summary>
    [Required]
    public string Model { get; set; } = string.Empty;

    /// <summary>Where to tune: <c>auto</c> (default), <c>cuda</c> or <c>cpu</c>.</summary>
    public string? Device { get; set; }

    /// <summary>What to do when a GPU was asked for and there is none: <c>warn</c> (default), <c>error</c> or <c>cpu</c>.</summary>
    public string? WhenNoGpu { get; set; }

    /// <summary>
    /// How thoroughly to tune: <c>full</c> (default: measure every candidate) or <c>quick</c> (measure only the
    /// first candidate of each key; every key still gets an entry).
    /// </summary>
    public string? Tuning { get; set; }

    /// <summary>A checked-in table to embed when there is no GPU and <see cref="WhenNoGpu"/> is <c>warn</c>; optional.</summary>
    public string? TuningTable { get; set; }

    /// <summary>The folder the tuner writes its tables into (under obj/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>The tuner assembly, <c>warmgate.dll</c>.</summary>
    [Required]
    public string TunerPath { get; set; } = string.Empty;

    /// <summary>
    /// The program that runs <see cref="TunerPath"/>; empty means <c>DOTNET_HOST_PATH</c>, then <c>dotnet</c> on
    /// <c>PATH</c>. Tests set it to <c>/bin/bash</c> to run a fake tuner script.
    /// </summary>
    public string? TunerHost { get; set; }

    /// <summary>
    /// The tables to embed, each with <c>LogicalName</c> (<c>WarmGate.Tuning.&lt;device&gt;.json</c>, also its file
    /// name), <c>WithCulture=false</c>, <c>Type=Non-Resx</c> and <c>Source</c> (<c>tuned</c> or <c>checked-in</c>).
    /// </summary>
    [Output]
    public ITaskItem[] Tables { get; set; } = [];

    /// <summary>
    /// True when the tables were tuned on this machine (so the result can be reused until the inputs change);
    /// false when nothing was tuned, for example no GPU and a checked-in table embedded instead.
    /// </summary>
    [Output]
    public bool Tuned { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        Tables = [];
        Tuned = false;
        if (!TryValidateInputs(out var device, out var policy, out var tuningTable))
        {
            return false;
        }

        Directory.CreateDirectory(_outputDirectory);
        var run = RunTuner(PretuneOptions.TunerArgument(device));
        if (run.Outcome == TunerOutcome.NoGpu && device != PretuneDevice.Cpu)
        {
            return HandleNoGpu(policy, tuningTable);
        }

        return Finish(run);
    }

    private bool TryValidateInputs(out PretuneDevice device, out NoGpuPolicy policy, out string? tuningTable)
    {
        tuningTable = null;
        var valid = true;
        if (!PretuneOptions.TryParseDevice(Device, out device))
        {
            Error(DiagnosticCodes.InvalidProperty,
                $"WarmGateDevice is '{Device}', which is not one of: {PretuneOptions.DeviceValues}. Set WarmGateDevice to one of these, or leave it empty for auto.");
            valid = false;
        }

        if (!PretuneOptions.TryParseNoGpuPolicy(WhenNoGpu, out policy))
        {
            Error(DiagnosticCodes.InvalidProperty,
                $"WarmGateWhenNoGpu is '{WhenNoGpu}', which is not one of: {PretuneOptions.NoGpuPolicyValues}. Set WarmGateWhenNoGpu to one of these, or leave it empty for warn.");
            valid = false;
        }

        if (PretuneOptions.TryParseTuning(Tuning, out var tuning))
        {
            _tuningArgument = PretuneOptions.TunerArgument(tuning);
        }
        else
        {
            Error(DiagnosticCodes.InvalidProperty,
                $"WarmGateTuning is '{Tuning}', which is not one of: {PretuneOptions.TuningValues}. Set WarmGateTuning to one of these, or leave it empty for full.");
            valid = false;
        }

        valid &= TryResolveModel();
        valid &= TryResolveTuningTable(out tuningTable);

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            Error(DiagnosticCodes.InvalidProperty, "The WarmGatePretune task got an empty OutputDirectory. The WarmGate targets set it; if you call the task yourself, pass a folder under obj/.");
            valid = false;
        }
        else
        {
            _outputDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(OutputDirectory));
        }

        return valid && TryResolveTuner();
    }

    private bool TryResolveModel()
    {
        var model = Model.Trim();
        if (model.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase) && model.Length > "builtin:".Length)
        {
            _modelArgument = model;
            return true;
        }

        if (model.Length > 0 && !model.StartsWith("builtin:", StringComparison.OrdinalIgnoreCase) && Directory.Exists(model))
        {
            _modelArgument = Path.TrimEndingDirectorySeparator(Path.GetFullPath(model));
            return true;
        }

        Error(DiagnosticCodes.InvalidProperty,
            $"WarmGateModel is '{Model}', which is neither an existing model folder nor 'builtin:<name>'. Set WarmGateModel to a folder holding config.json and model.safetensors (relative to the project), or to builtin:tiny.");
        return false;
    }

    private bool TryResolveTuningTable(out string? tuningTable)
    {
        tuningTable = null;
        if (string.IsNullOrWhiteSpace(TuningTable))
        {
            return true;
        }

        var path = Path.GetFullPath(TuningTable.Trim());
        if (!File.Exists(path))
        {
            Error(DiagnosticCodes.TuningTableMissing,
                $"WarmGateTuningTable is '{TuningTable}', but no file exists at '{path}'. Check the path (relative paths are relative to the project), check the table in, or clear WarmGateTuningTable.");
            return false;
        }

        if (!TuningTableFile.TryValidate(path, out var problem))
        {
            Error(DiagnosticCodes.TuningTableInvalid,
                $"WarmGateTuningTable '{path}' {problem}. Point WarmGateTuningTable at a table written by 'warmgate tune' (WarmGate.Tuning.<device>.json), or clear it.");
            return false;
        }

        tuningTable = path;
        return true;
    }

    private bool TryResolveTuner()
    {
        if (string.IsNullOrWhiteSpace(TunerPath) || !File.Exists(TunerPath))
        {
            Error(DiagnosticCodes.TunerNotFound,
                $"The tuner '{TunerPath}' does not exist. It ships in the WarmGate.MSBuildTasks package under tools/tuner/warmgate.dll: restore the package again, or set WarmGateTunerPath to a built warmgate.dll.");
            return false;
        }

        _tunerPath = Path.GetFullPath(TunerPath);
        _hostPath = DotNetHost.Resolve(TunerHost, Environment.GetEnvironmentVariable);
        if (_hostPath is null)
        {
            Error(DiagnosticCodes.TunerNotFound,
                $"Cannot find the 'dotnet' program to run the tuner: {DotNetHost.HostPathVariable} is not set to an existing file and 'dotnet' is not on PATH. Build with 'dotnet build', or put dotnet on PATH.");
            return false;
        }

        return true;
    }

    private bool HandleNoGpu(NoGpuPolicy policy, string? tuningTable)
    {
        switch (policy)
        {
            case NoGpuPolicy.Error:
                Error(DiagnosticCodes.NoGpuError,
                    "No CUDA device on this build machine, and WarmGateWhenNoGpu=error. Build on a machine with an NVIDIA GPU and driver, or set WarmGateWhenNoGpu=warn (embed WarmGateTuningTable, or tune at warmup) or WarmGateWhenNoGpu=cpu (tune on the CPU).");
                return false;

            case NoGpuPolicy.Cpu:
                Log.LogMessage(MessageImportance.High, "WarmGate: no CUDA device on this build machine; tuning on the CPU instead, as WarmGateWhenNoGpu=cpu asks.");
                var cpuRun = RunTuner(PretuneOptions.TunerArgument(PretuneDevice.Cpu));
                return Finish(cpuRun);

            default:
                if (tuningTable is null)
                {
                    Warning(DiagnosticCodes.NoGpuWarning,
                        "No GPU on this build machine; no tuning table is embedded and kernels will be tuned at warmup. To embed one, build on a machine with an NVIDIA GPU, set WarmGateTuningTable to a checked-in table, or set WarmGateWhenNoGpu=cpu to tune on the CPU.");
                    return true;
                }

                var destination = Path.Combine(_outputDirectory, TuningTableFile.ResourceNameFor(tuningTable));
                TuningTableFile.CopyIfDifferent(tuningTable, destination);
                Tables = [CreateTableItem(destination, "checked-in")];
                Warning(DiagnosticCodes.NoGpuWarning,
                    $"No GPU on this build machine; embedding the checked-in table '{tuningTable}' (WarmGateTuningTable) as {TuningTableFile.ResourceNameFor(tuningTable)} instead of tuning. Kernels it does not cover, or whose device does not match, will be tuned at warmup. To tune here, build on a machine with an NVIDIA GPU or set WarmGateWhenNoGpu=cpu.");
                return true;
        }
    }

    private bool Finish(TunerRun run)
    {
        var command = $"'dotnet {Path.GetFileName(_tunerPath)} tune --model {_modelArgument} --device {run.DeviceArgument} --tuning {_tuningArgument}'";
        switch (run.Outcome)
        {
            case TunerOutcome.Succeeded:
                return AcceptTables(run);

            case TunerOutcome.Canceled:
                return false;

            case TunerOutcome.NotStarted:
                // ToolTask has already logged why the process could not start.
                return false;

            case TunerOutcome.TimedOut:
                Error(DiagnosticCodes.TunerTimedOut,
                    $"The tuner {command} did not finish within WarmGateTunerTimeout={Timeout} ms and was stopped; nothing is embedded. Raise WarmGateTunerTimeout, or tune once with 'warmgate tune' and check the table in as WarmGateTuningTable.{run.Output.FormatTail()}");
                return false;

            case TunerOutcome.RejectedInput:
                Error(DiagnosticCodes.TunerRejectedInput,
                    $"The tuner {command} rejected its input (exit code 2); nothing is embedded. Check WarmGateModel ('{Model}') and the tuner's message below.{run.Output.FormatTail()}");
                return false;

            default:
                var note = run.Outcome == TunerOutcome.NoGpu
                    ? " Exit code 3 means 'no CUDA device', which the tuner should never report for --device cpu."
                    : string.Empty;
                Error(DiagnosticCodes.TunerCrashed,
                    $"The tuner {command} failed with exit code {run.ExitCode}; nothing is embedded.{note} Fix the cause shown below, or set WarmGatePretune=false to build without pre-tuning.{run.Output.FormatTail()}");
                return false;
        }
    }

    private bool AcceptTables(TunerRun run)
    {
        if (run.Output.WrittenFiles.Count == 0)
        {
            Error(DiagnosticCodes.TunerOutputInvalid,
                $"The tuner exited with code 0 but reported no table (no '{TunerOutput.WrotePrefix} <path>' line); nothing is embedded. The tuner and this package may not match: restore the package again, or check WarmGateTunerPath.{run.Output.FormatTail()}");
            return false;
        }

        var problems = new List<string>();
        foreach (var path in run.Output.WrittenFiles)
        {
            var fileName = Path.GetFileName(path);
            if (!TuningTableFile.IsTableName(fileName))
            {
                problems.Add($"'{path}' is not named {TuningTableFile.NamePrefix}<device>{TuningTableFile.NameSuffix}");
            }
            else if (!TuningTableFile.TryValidate(path, out var problem))
            {
                problems.Add($"'{path}' {problem}");
            }
        }

        if (problems.Count > 0)
        {
            Error(DiagnosticCodes.TunerOutputInvalid,
                $"The tuner reported success, but {string.Join("; ", problems)}. Nothing is embedded. Run the build again; if it repeats, the tuner is broken: report it with the output below.{run.Output.FormatTail()}");
            return false;
        }

        Tables = [.. run.Output.WrittenFiles.Select(path => CreateTableItem(path, "tuned"))];
        Tuned = true;
        Log.LogMessage(MessageImportance.High, "WarmGate: tuned on {0}: {1}", run.DeviceArgument, string.Join(", ", Tables.Select(t => t.GetMetadata("LogicalName"))));
        return true;
    }

    private static TaskItem CreateTableItem(string path, string source)
    {
        var item = new TaskItem(path);
        item.SetMetadata("LogicalName", Path.GetFileName(path));
        item.SetMetadata("WithCulture", "false");
        item.SetMetadata("Type", "Non-Resx");
        item.SetMetadata("Source", source);
        return item;
    }

    private void Error(string code, string message) =>
        Log.LogError(null, code, null, null, 0, 0, 0, 0, message);

    private void Warning(string code, string message) =>
        Log.LogWarning(null, code, null, null, 0, 0, 0, 0, message);
}
