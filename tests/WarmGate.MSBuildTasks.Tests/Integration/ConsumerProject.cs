namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// A console app in a temporary folder (outside the repository, so none of its Directory.Build.* apply) that
/// references WarmGate.MSBuildTasks from the fixture's folder, restored through RestoreAdditionalProjectSources
/// so the default feed stays configured and no NuGet.config is written.
/// </summary>
internal sealed class ConsumerProject
{
    private readonly PackageFixture _fixture;

    public ConsumerProject(PackageFixture fixture, string name)
    {
        _fixture = fixture;
        Directory = Path.Combine(fixture.Root, "consumers", name);
        System.IO.Directory.CreateDirectory(Directory);
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
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, "Program.cs"),
            "Console.WriteLine(string.Join(',', typeof(Program).Assembly.GetManifestResourceNames()));\n");
    }

    public string Directory { get; }

    public string ProjectPath => Path.Combine(Directory, "Consumer.csproj");

    public string AssemblyPath => Path.Combine(Directory, "bin", "Debug", "net10.0", "Consumer.dll");

    public string TablesDirectory => Path.Combine(Directory, "obj", "Debug", "net10.0", "warmgate");

    /// <summary>Runs <c>dotnet build</c> with the given MSBuild properties (name=value) at normal verbosity.</summary>
    public Task<ProcessResult> BuildAsync(params string[] properties) =>
        RunAsync(["build", ProjectPath], properties);

    /// <summary>Runs <c>dotnet msbuild -restore</c> on a target with the given properties.</summary>
    public Task<ProcessResult> MSBuildAsync(string target, params string[] properties) =>
        RunAsync(["msbuild", ProjectPath, "-restore", "-t:" + target], properties);

    private Task<ProcessResult> RunAsync(string[] command, string[] properties)
    {
        var arguments = new List<string>(command)
        {
            "-nr:false",
            "--disable-build-servers",
            "-v:n",
            "-p:RestoreAdditionalProjectSources=" + _fixture.PackageSource,
            "-p:WarmGateModel=builtin:tiny",
        };
        if (_fixture.TunerPath is not null)
        {
            arguments.Add("-p:WarmGateTunerPath=" + _fixture.TunerPath);
        }

        arguments.AddRange(properties.Select(p => "-p:" + p));
        return ProcessRunner.RunDotNetAsync(Directory, _fixture.Environment, [.. arguments]);
    }
}
