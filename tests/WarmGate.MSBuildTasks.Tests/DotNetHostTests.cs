namespace WarmGate.MSBuildTasks.Tests;

public sealed class DotNetHostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("warmgate-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ExplicitHost_Wins()
    {
        var host = DotNetHost.Resolve("/bin/bash", _ => throw new InvalidOperationException("environment must not be read"));

        host.Should().Be("/bin/bash");
    }

    [Fact]
    public void DotnetHostPath_IsUsedWhenItExists()
    {
        var dotnet = CreateFile("sdk-root", "dotnet");
        var pathDotnet = CreateFile("on-path", "dotnet");
        var environment = new Dictionary<string, string?> { ["DOTNET_HOST_PATH"] = dotnet, ["PATH"] = Path.GetDirectoryName(pathDotnet) };

        DotNetHost.Resolve(null, environment.GetValueOrDefault).Should().Be(dotnet);
    }

    [Fact]
    public void Path_IsSearchedWhenDotnetHostPathIsUnsetOrMissing()
    {
        var pathDotnet = CreateFile("on-path", ExecutableName);
        var path = string.Join(Path.PathSeparator, Path.Combine(_root, "empty"), Path.GetDirectoryName(pathDotnet));
        var environment = new Dictionary<string, string?> { ["DOTNET_HOST_PATH"] = Path.Combine(_root, "gone", "dotnet"), ["PATH"] = path };

        DotNetHost.Resolve(null, environment.GetValueOrDefault).Should().Be(pathDotnet);
    }

    [Fact]
    public void NothingFound_ReturnsNull() =>
        DotNetHost.Resolve(null, _ => null).Should().BeNull();

    private static string ExecutableName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    private string CreateFile(string folder, string name)
    {
        var path = Path.Combine(_root, folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
