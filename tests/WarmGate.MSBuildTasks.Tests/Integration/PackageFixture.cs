using System.IO.Compression;
using System.Xml.Linq;

namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// Packs WarmGate.MSBuildTasks (with the real `warmgate tune` inside) and WarmGate.Kernels once per test run into a
/// temporary feed, in the test's own configuration, so the tuner and the kernels a consumer runs have the same IL
/// (a table applies only to the kernel build it was tuned with). Consumers restore into an empty NuGet packages
/// folder, so every run takes the packages just packed rather than a cached copy of the same version.
/// A failure while setting up is kept and rethrown by every test, so each one shows the real cause.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly Dictionary<string, object> _shared = new(StringComparer.Ordinal);
    private Exception? _setupFailure;

    public string Root { get; } = Directory.CreateTempSubdirectory("warmgate-it-").FullName;

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string PackageSource => Path.Combine(Root, "feed");

    public string PackageVersion { get; private set; } = string.Empty;

    /// <summary>
    /// How consumers find the feed: <c>RestoreSources=&lt;feed&gt;</c> when ILGPU was found in the machine's NuGet
    /// cache and copied into the feed (restore then needs no network), else the feed added to the configured sources.
    /// </summary>
    public string RestoreSourceProperty { get; private set; } = string.Empty;

    /// <summary>Environment for consumer builds and runs: the private NuGet packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
    };

    public async Task InitializeAsync()
    {
        try
        {
            await PackAsync(Path.Combine("src", "MSBuildTasks"));
            await PackAsync(Path.Combine("src", "Kernels"));
            var package = Directory.GetFiles(PackageSource, "WarmGate.MSBuildTasks.*.nupkg").Single();
            PackageVersion = Path.GetFileNameWithoutExtension(package)["WarmGate.MSBuildTasks.".Length..];
            RestoreSourceProperty = CopyCachedDependencies()
                ? "RestoreSources=" + PackageSource
                : "RestoreAdditionalProjectSources=" + PackageSource;
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
            throw new InvalidOperationException("Setting up the packages for the integration tests failed.", _setupFailure);
        }
    }

    /// <summary>
    /// Runs <paramref name="create"/> once per test run and hands every caller its task: for a build that several
    /// tests assert on (spawned builds are slow). A failure is kept and rethrown to each caller.
    /// </summary>
    public Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(key, out var task))
            {
                task = create();
                _shared[key] = task;
            }

            return (Task<T>)task;
        }
    }

    /// <summary>Builds tests/Samples/MSBuildCrashingTuner (once) and returns its warmgate.dll.</summary>
    public Task<string> CrashingTunerAsync() => SharedAsync("crashing-tuner", async () =>
    {
        var output = Path.Combine(Root, "crashing-tuner");
        var build = await ProcessRunner.RunDotNetAsync(RepositoryRoot, new Dictionary<string, string>(),
            "build", Path.Combine(RepositoryRoot, "tests", "Samples", "MSBuildCrashingTuner"), "-c", Configuration,
            "-o", output, "-nr:false", "--disable-build-servers");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build tests/Samples/MSBuildCrashingTuner failed: {build}");
        }

        return Path.Combine(output, "warmgate.dll");
    });

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

    private async Task PackAsync(string project)
    {
        var pack = await ProcessRunner.RunDotNetAsync(RepositoryRoot, new Dictionary<string, string>(),
            "pack", Path.Combine(RepositoryRoot, project), "-c", Configuration, "-o", PackageSource,
            "-nr:false", "--disable-build-servers");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack {project} failed: {pack}");
        }
    }

    /// <summary>
    /// Copies the packages WarmGate.Kernels depends on (ILGPU) from the machine's NuGet cache into the feed.
    /// </summary>
    /// <returns>True when every one was found, so the feed alone can satisfy a consumer's restore.</returns>
    private bool CopyCachedDependencies()
    {
        var globalPackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(globalPackages))
        {
            globalPackages = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var kernels = Directory.GetFiles(PackageSource, "WarmGate.Kernels.*.nupkg").Single();
        using var archive = ZipFile.OpenRead(kernels);
        using var nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: e.Attribute("id")!.Value.ToLowerInvariant(), Version: e.Attribute("version")!.Value))
            .Distinct()
            .ToList();
        foreach (var (id, version) in dependencies)
        {
            var cached = Path.Combine(globalPackages, id, version, $"{id}.{version}.nupkg");
            if (!File.Exists(cached))
            {
                return false;
            }

            File.Copy(cached, Path.Combine(PackageSource, Path.GetFileName(cached)), overwrite: true);
        }

        return true;
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
