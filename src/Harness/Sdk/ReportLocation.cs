namespace WarmGate.Harness.Sdk;

/// <summary>
/// Where the report goes, first match wins:
/// <list type="number">
/// <item><c>WARMGATE_REPORT_DIR</c> (a relative path is relative to the current directory);</item>
/// <item><see cref="WarmGateTestFrameworkAttribute.ReportDirectory"/> (relative to the test assembly's folder);</item>
/// <item><c>&lt;artifacts&gt;/TestResults/warmgate</c> when the test assembly is built under an
/// <c>artifacts/bin</c> folder (<c>UseArtifactsOutput</c>), next to the TRX files <c>eng/test.sh</c> writes;</item>
/// <item><c>&lt;test project&gt;/TestResults/warmgate</c>, the folder <c>dotnet test</c> writes its results to
/// by default, when a project file is found above the test assembly;</item>
/// <item><c>&lt;test assembly folder&gt;/warmgate</c>.</item>
/// </list>
/// </summary>
public static class ReportLocation
{
    /// <summary>The environment variable that names the report folder.</summary>
    public const string EnvironmentVariable = "WARMGATE_REPORT_DIR";

    private const int MaxLevels = 8;

    /// <summary>Resolves the report folder.</summary>
    /// <param name="environmentValue">The value of <c>WARMGATE_REPORT_DIR</c>, or null.</param>
    /// <param name="attributeValue">The attribute's <c>ReportDirectory</c>, or null.</param>
    /// <param name="assemblyPath">The test assembly's path.</param>
    public static string Resolve(string? environmentValue, string? attributeValue, string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        var assemblyDir = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        if (!string.IsNullOrWhiteSpace(environmentValue))
            return Path.GetFullPath(environmentValue.Trim());
        if (!string.IsNullOrWhiteSpace(attributeValue))
            return Path.GetFullPath(Path.Combine(assemblyDir, attributeValue.Trim()));
        if (ArtifactsRoot(assemblyDir) is { } artifacts)
            return Path.Combine(artifacts, "TestResults", "warmgate");
        if (ProjectDirectory(assemblyDir) is { } project)
            return Path.Combine(project, "TestResults", "warmgate");
        return Path.Combine(assemblyDir, "warmgate");
    }

    private static string? ArtifactsRoot(string assemblyDir)
    {
        var dir = new DirectoryInfo(assemblyDir);
        for (var level = 0; dir?.Parent is not null && level < MaxLevels; level++, dir = dir.Parent)
        {
            if (dir.Name == "bin" && dir.Parent.Name == "artifacts")
                return dir.Parent.FullName;
        }
        return null;
    }

    private static string? ProjectDirectory(string assemblyDir)
    {
        var dir = new DirectoryInfo(assemblyDir);
        for (var level = 0; dir is not null && level < MaxLevels; level++, dir = dir.Parent)
        {
            if (dir.Exists && dir.EnumerateFiles("*.*proj").Any())
                return dir.FullName;
        }
        return null;
    }
}
