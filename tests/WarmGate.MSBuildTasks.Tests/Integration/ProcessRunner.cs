using System.Diagnostics;
using System.Text;

namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>The exit code and the combined stdout/stderr of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}{Output}";
}

/// <summary>Runs <c>dotnet</c> commands for the integration tests, isolated from the test host's MSBuild settings.</summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>The <c>dotnet</c> that runs these tests' builds (the same one MSBuild would pick).</summary>
    public static string DotNet { get; } =
        DotNetHost.Resolve(null, Environment.GetEnvironmentVariable)
        ?? throw new InvalidOperationException("Cannot find 'dotnet': set DOTNET_HOST_PATH or put dotnet on PATH.");

    public static async Task<ProcessResult> RunDotNetAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotNet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host may run inside an MSBuild or 'dotnet test' process: its MSBuild settings must not leak in.
        foreach (var key in startInfo.Environment.Keys.Where(IsInheritedBuildSetting).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', arguments)}' ran longer than {Limit}:{Environment.NewLine}{Snapshot(output)}");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    private static bool IsInheritedBuildSetting(string key) =>
        key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("MSBUILD", StringComparison.Ordinal)
        || key.Equals("WARMGATE_TUNING_TABLE", StringComparison.Ordinal);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
