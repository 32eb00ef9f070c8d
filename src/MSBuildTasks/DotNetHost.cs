namespace WarmGate.MSBuildTasks;

/// <summary>Finds the <c>dotnet</c> executable that runs the framework-dependent tuner.</summary>
internal static class DotNetHost
{
    /// <summary>The environment variable in which MSBuild names the <c>dotnet</c> that runs the build.</summary>
    public const string HostPathVariable = "DOTNET_HOST_PATH";

    /// <summary>
    /// Resolves the host: <paramref name="explicitHost"/> when given; else <c>DOTNET_HOST_PATH</c> when it
    /// names an existing file; else <c>dotnet</c> found on <c>PATH</c>.
    /// </summary>
    /// <param name="explicitHost">A host chosen by the caller (tests use it to run a fake tuner), or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (injectable for tests).</param>
    /// <returns>A full path, or null when no host can be found.</returns>
    public static string? Resolve(string? explicitHost, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitHost))
        {
            return explicitHost;
        }

        var hostPath = getEnvironmentVariable(HostPathVariable);
        if (!string.IsNullOrWhiteSpace(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var path = getEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory.Trim(), executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
