using WarmGate.Harness.Sdk;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class ReportLocationTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("warmgate-location-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Assembly(params string[] folders)
    {
        var dir = Path.Combine([root, .. folders]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "My.Tests.dll");
    }

    [Fact]
    public void The_environment_wins()
    {
        var env = Path.Combine(root, "ci", "reports");
        ReportLocation.Resolve(env, "ignored", Assembly("artifacts", "bin", "My.Tests", "debug")).Should().Be(env);
    }

    [Fact]
    public void The_attribute_is_relative_to_the_assembly_folder()
    {
        var assembly = Assembly("out");
        ReportLocation.Resolve(null, "../reports", assembly).Should().Be(Path.Combine(root, "reports"));
    }

    [Fact]
    public void The_artifacts_layout_puts_it_next_to_the_test_results()
    {
        ReportLocation.Resolve(null, null, Assembly("artifacts", "bin", "My.Tests", "release"))
            .Should().Be(Path.Combine(root, "artifacts", "TestResults", "warmgate"));
    }

    [Fact]
    public void A_classic_layout_uses_the_projects_TestResults_folder()
    {
        var assembly = Assembly("proj", "bin", "Debug", "net10.0");
        File.WriteAllText(Path.Combine(root, "proj", "My.Tests.csproj"), "<Project />");
        ReportLocation.Resolve(null, "  ", assembly).Should().Be(Path.Combine(root, "proj", "TestResults", "warmgate"));
    }

    [Fact]
    public void Otherwise_it_goes_beside_the_assembly()
    {
        ReportLocation.Resolve(null, null, Assembly("loose")).Should().Be(Path.Combine(root, "loose", "warmgate"));
    }
}
