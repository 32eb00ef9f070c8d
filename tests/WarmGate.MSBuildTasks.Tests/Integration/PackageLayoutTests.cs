using System.IO.Compression;
using System.Xml.Linq;

namespace WarmGate.MSBuildTasks.Tests.Integration;

[Trait("Category", "Integration")]
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly PackageFixture _fixture;

    public PackageLayoutTests(PackageFixture fixture)
    {
        fixture.EnsureReady();
        _fixture = fixture;
    }

    [Fact]
    public void Package_HoldsTheTaskTheTunerAndTheTargets_AndNothingForConsumersToReference()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_fixture.PackageSource, $"WarmGate.MSBuildTasks.{_fixture.PackageVersion}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();

        entries.Should().Contain([
            "build/WarmGate.MSBuildTasks.props",
            "build/WarmGate.MSBuildTasks.targets",
            "buildTransitive/WarmGate.MSBuildTasks.props",
            "buildTransitive/WarmGate.MSBuildTasks.targets",
            "tools/net10.0/WarmGate.MSBuildTasks.dll",
            "tools/tuner/warmgate.dll",
            "tools/tuner/warmgate.runtimeconfig.json",
            "tools/tuner/WarmGate.Kernels.dll",
        ]);
        entries.Should().NotContain(e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));
        entries.Should().NotContain(e => e.EndsWith("/Microsoft.Build.Framework.dll", StringComparison.Ordinal)
            || e.EndsWith("/Microsoft.Build.Utilities.Core.dll", StringComparison.Ordinal), "MSBuild provides its own assemblies");
        entries.Should().NotContain(e => e.StartsWith("tools/tuner/", StringComparison.Ordinal) && Path.GetFileName(e) == "warmgate",
            "the tuner is framework-dependent and run through dotnet, without a platform app host");

        var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value.Should().Be("true");
        metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(e => e.Descendants())
            .Where(e => e.Name.LocalName == "dependency").Should().BeEmpty();
    }

    [Fact]
    public void BuildTransitiveFiles_ImportTheBuildFiles()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_fixture.PackageSource, $"WarmGate.MSBuildTasks.{_fixture.PackageVersion}.nupkg"));

        foreach (var extension in new[] { "props", "targets" })
        {
            using var reader = new StreamReader(package.GetEntry($"buildTransitive/WarmGate.MSBuildTasks.{extension}")!.Open());
            var imports = XDocument.Parse(reader.ReadToEnd()).Root!.Elements().Where(e => e.Name.LocalName == "Import")
                .Select(e => e.Attribute("Project")!.Value);

            imports.Should().ContainSingle().Which.Replace('\\', '/').Should().Be($"../build/WarmGate.MSBuildTasks.{extension}");
        }
    }
}
