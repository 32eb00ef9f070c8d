using System.Diagnostics;
using System.Reflection;
using System.Text;
using WarmGate.Harness.Sdk;

namespace WarmGate.Harness.Tests.Integration;

/// <summary>
/// A temporary copy of the sample consumer projects (tests/Samples/Harness*) with the repository's
/// build files, so they build exactly as in the repository but outside it. Each sample references
/// WarmGate.Harness in this repository through <c>-p:WarmGateRepoRoot</c>.
/// </summary>
public sealed class SampleWorkspace : IDisposable
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);

    public SampleWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("warmgate-samples-").FullName;
        foreach (var file in BuildFiles)
            File.Copy(Path.Combine(RepoRoot, file), Path.Combine(Root, file));
        var samples = Path.Combine(RepoRoot, "tests", "Samples");
        foreach (var dir in Directory.GetDirectories(samples, "Harness*"))
            CopyTree(dir, Path.Combine(Root, "tests", "Samples", Path.GetFileName(dir)));
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The configuration this test assembly was built in; the samples build in the same one, so WarmGate.Harness is up to date.</summary>
    public static string Configuration { get; } =
        typeof(SampleWorkspace).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public string Root { get; }

    /// <summary>Where a sample's report goes by default: the copy uses the artifacts output layout.</summary>
    public string DefaultReportDirectory => Path.Combine(Root, "artifacts", "TestResults", "warmgate");

    /// <summary>Runs <c>dotnet test</c> on a sample and reads its TRX file.</summary>
    /// <param name="project">The sample's name, e.g. HarnessClean.</param>
    /// <param name="run">A name for this run (its TRX file name).</param>
    /// <param name="build">False to pass <c>--no-build</c> (the sample was built by an earlier run).</param>
    /// <param name="environment">Extra environment variables.</param>
    public async Task<SampleRun> TestAsync(string project, string run, bool build = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var results = Path.Combine(Root, "results");
        var args = new List<string>
        {
            "test", Path.Combine(Root, "tests", "Samples", project, project + ".csproj"),
            "-c", Configuration, "-nr:false", $"-p:WarmGateRepoRoot={RepoRoot}/",
            "--logger", $"trx;LogFileName={run}.trx", "--results-directory", results,
        };
        if (!build) args.Add("--no-build");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        args.ForEach(start.ArgumentList.Add);
        // Nothing from the outer test run may leak into the sample's build or run.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("WARMGATE_", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} ran longer than {CommandTimeout}.");
        }
        output.Append(await stdout).Append(await stderr);

        var trx = Path.Combine(results, run + ".trx");
        if (!File.Exists(trx))
            throw new InvalidOperationException($"dotnet test wrote no TRX file (exit code {process.ExitCode}):\n{output}");
        return new SampleRun(process.ExitCode, output.ToString(), TrxResults.Load(trx));
    }

    /// <summary>Creates a checkpoint folder whose config.json is cut off, and returns its path.</summary>
    public string BrokenModel()
    {
        var model = Path.Combine(Root, "broken-model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{ \"hidden_size\": 32, ");
        return model;
    }

    /// <summary>Reads a report the sample wrote.</summary>
    public static GateReport ReadReport(string directory, string assembly)
    {
        var path = Path.Combine(directory, assembly + ".warmgate.json");
        File.Exists(path).Should().BeTrue($"the report should be at {path}");
        File.Exists(Path.ChangeExtension(path, ".md")).Should().BeTrue("the Markdown report is written with the JSON one");
        return GateReportWriter.FromJson(File.ReadAllText(path));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned up by the system.
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "TestResults") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Harness.sln above {AppContext.BaseDirectory}: the integration tests run from the repository's build output.");
    }
}

/// <summary>The outcome of one <c>dotnet test</c> run of a sample.</summary>
public sealed record SampleRun(int ExitCode, string Output, TrxResults Trx);
