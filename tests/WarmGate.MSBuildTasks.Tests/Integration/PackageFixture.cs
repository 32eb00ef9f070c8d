namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// Packs WarmGate.MSBuildTasks once per test run (<c>dotnet pack src/MSBuildTasks</c>) into a temporary folder, builds the fake
/// tuner (tests/Samples/MSBuildFakeTuner) and gives consumers an empty NuGet packages folder, so every run restores
/// the package just packed rather than a cached copy of the same version.
/// A failure while setting up is kept and rethrown by every test, so each one shows the real cause.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    /// <summary>Set to 1 to run the tuner shipped in the package (the real `warmgate tune`) instead of the fake.</summary>
    public const string PackagedTunerVariable = "WARMGATE_IT_PACKAGED_TUNER";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private Exception? _setupFailure;

    public string Root { get; } = Directory.CreateTempSubdirectory("warmgate-it-").FullName;

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string PackageSource => Path.Combine(Root, "feed");

    public string PackageVersion { get; private set; } = string.Empty;

    /// <summary>The tuner the consumers run (WarmGateTunerPath), or null to use the one in the package.</summary>
    public string? TunerPath { get; private set; }

    /// <summary>Environment for consumer builds: the private NuGet packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
    };

    public async Task InitializeAsync()
    {
        try
        {
            var pack = await ProcessRunner.RunDotNetAsync(RepositoryRoot, new Dictionary<string, string>(),
                "pack", Path.Combine(RepositoryRoot, "src", "MSBuildTasks"), "-c", Configuration, "-o", PackageSource,
                "-nr:false", "--disable-build-servers");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack src/MSBuildTasks failed: {pack}");
            }

            var package = Directory.GetFiles(PackageSource, "WarmGate.MSBuildTasks.*.nupkg").Single();
            PackageVersion = Path.GetFileNameWithoutExtension(package)["WarmGate.MSBuildTasks.".Length..];

            if (System.Environment.GetEnvironmentVariable(PackagedTunerVariable) == "1")
            {
                return;
            }

            var fakeOutput = Path.Combine(Root, "fake-tuner");
            var build = await ProcessRunner.RunDotNetAsync(RepositoryRoot, new Dictionary<string, string>(),
                "build", Path.Combine(RepositoryRoot, "tests", "Samples", "MSBuildFakeTuner"), "-c", Configuration,
                "-o", fakeOutput, "-nr:false", "--disable-build-servers");
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet build tests/Samples/MSBuildFakeTuner failed: {build}");
            }

            TunerPath = Path.Combine(fakeOutput, "warmgate.dll");
        }
        catch (Exception e)
        {
            _setupFailure = e;
        }
    }

    /// <summary>Rethrows a setup failure, so the test that needs the package fails with its cause.</summary>
    public void EnsureReady()
    {
        if (_setupFailure is not null)
        {
            throw new InvalidOperationException("Setting up the package for the integration tests failed.", _setupFailure);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; never fail a run over a temp folder.
        }

        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "src", "MSBuildTasks", "WarmGate.MSBuildTasks.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (with src/MSBuildTasks) above '{AppContext.BaseDirectory}'.");
    }
}
