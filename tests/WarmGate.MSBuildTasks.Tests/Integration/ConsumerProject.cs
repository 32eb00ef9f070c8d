namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// A console app in a temporary folder (outside the repository, so none of its Directory.Build.* apply) that
/// references WarmGate.MSBuildTasks from the fixture's feed, as a project outside this repository would.
/// <see cref="WithKernels"/> also references WarmGate.Kernels and runs the end-to-end sample
/// (tests/Samples/MSBuildPretuneSample/Program.cs): load, use the embedded tables, warm up, print the counts.
/// Every build pre-tunes builtin:tiny with quick tuning (the whole CPU tune then takes seconds).
/// </summary>
internal sealed class ConsumerProject
{
    private readonly PackageFixture _fixture;

    private ConsumerProject(PackageFixture fixture, string name, bool withKernels)
    {
        _fixture = fixture;
        Directory = Path.Combine(fixture.Root, "consumers", name);
        System.IO.Directory.CreateDirectory(Directory);
        var kernelsReference = withKernels
            ? $"""<PackageReference Include="WarmGate.Kernels" Version="{fixture.PackageVersion}" />"""
            : string.Empty;
        File.WriteAllText(ProjectPath, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="WarmGate.MSBuildTasks" Version="{fixture.PackageVersion}" PrivateAssets="all" />
                {kernelsReference}
              </ItemGroup>
            </Project>
            """);
        var program = Path.Combine(Directory, "Program.cs");
        if (withKernels)
        {
            File.Copy(Path.Combine(fixture.RepositoryRoot, "tests", "Samples", "MSBuildPretuneSample", "Program.cs"), program);
        }
        else
        {
            File.WriteAllText(program, "Console.WriteLine(string.Join(',', typeof(Program).Assembly.GetManifestResourceNames()));\n");
        }
    }

    public string Directory { get; }

    public string ProjectPath => Path.Combine(Directory, "Consumer.csproj");

    public string AssemblyPath => Path.Combine(Directory, "bin", "Debug", "net10.0", "Consumer.dll");

    public string TablesDirectory => Path.Combine(Directory, "obj", "Debug", "net10.0", "warmgate");

    /// <summary>A consumer with only the task package (nothing to run at warmup).</summary>
    public static ConsumerProject Plain(PackageFixture fixture, string name) => new(fixture, name, withKernels: false);

    /// <summary>A consumer that also references WarmGate.Kernels and runs the end-to-end sample.</summary>
    public static ConsumerProject WithKernels(PackageFixture fixture, string name) => new(fixture, name, withKernels: true);

    /// <summary>Runs <c>dotnet build</c> with the given MSBuild properties (name=value) at normal verbosity.</summary>
    public Task<ProcessResult> BuildAsync(params string[] properties) =>
        RunAsync(["build", ProjectPath], properties);

    /// <summary>Runs <c>dotnet msbuild -restore</c> on a target with the given properties.</summary>
    public Task<ProcessResult> MSBuildAsync(string target, params string[] properties) =>
        RunAsync(["msbuild", ProjectPath, "-restore", "-t:" + target], properties);

    /// <summary>Runs the built app (<c>dotnet Consumer.dll</c>); WARMGATE_TUNING_TABLE is not passed on.</summary>
    public Task<ProcessResult> RunAppAsync(params string[] arguments) =>
        ProcessRunner.RunDotNetAsync(Directory, _fixture.Environment, [AssemblyPath, .. arguments]);

    private Task<ProcessResult> RunAsync(string[] command, string[] properties)
    {
        var arguments = new List<string>(command)
        {
            "-nr:false",
            "--disable-build-servers",
            "-v:n",
            "-p:" + _fixture.RestoreSourceProperty,
            "-p:WarmGateModel=builtin:tiny",
            "-p:WarmGateTuning=quick",
        };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        return ProcessRunner.RunDotNetAsync(Directory, _fixture.Environment, [.. arguments]);
    }
}
