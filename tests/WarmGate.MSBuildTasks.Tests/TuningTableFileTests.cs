namespace WarmGate.MSBuildTasks.Tests;

public sealed class TuningTableFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("warmgate-table-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("""{"schemaVersion":1,"entries":[]}""", true, "")]
    [InlineData("""{"schemaVersion":"1"}""", false, "schemaVersion")]
    [InlineData("""{"entries":[]}""", false, "schemaVersion")]
    [InlineData("""[1,2]""", false, "not an object")]
    [InlineData("""{"schemaVersion":1,""", false, "not valid JSON")]
    [InlineData("", false, "not valid JSON")]
    public void TryValidate_AcceptsOnlyAnObjectWithANumericSchemaVersion(string content, bool valid, string problemPart)
    {
        var path = Path.Combine(_root, "WarmGate.Tuning.CPU.json");
        File.WriteAllText(path, content);

        TuningTableFile.TryValidate(path, out var problem).Should().Be(valid);

        if (valid)
        {
            problem.Should().BeEmpty();
        }
        else
        {
            problem.Should().Contain(problemPart);
        }
    }

    [Fact]
    public void TryValidate_ReportsAMissingFile()
    {
        TuningTableFile.TryValidate(Path.Combine(_root, "none.json"), out var problem).Should().BeFalse();

        problem.Should().Be("does not exist");
    }

    [Theory]
    [InlineData("NVIDIA H200", "NVIDIA-H200")]
    [InlineData("AMD Ryzen 9 7950X (CPU)", "AMD-Ryzen-9-7950X-CPU")]
    [InlineData(" (H200) ", "H200")]
    [InlineData("CPU", "CPU")]
    [InlineData("()", "table")]
    public void Slug_FollowsTheTunersRule(string name, string slug) =>
        TuningTableFile.Slug(name).Should().Be(slug);

    [Theory]
    [InlineData("/eng/WarmGate.Tuning.NVIDIA-H200.json", "WarmGate.Tuning.NVIDIA-H200.json")]
    [InlineData("/eng/tables/h200 sxm.json", "WarmGate.Tuning.h200-sxm.json")]
    [InlineData("/eng/WarmGate.Tuning..json", "WarmGate.Tuning.WarmGate-Tuning.json")]
    public void ResourceNameFor_KeepsTableNamesAndPrefixesOthers(string path, string expected) =>
        TuningTableFile.ResourceNameFor(path).Should().Be(expected);

    [Fact]
    public void CopyIfDifferent_CopiesOnceThenLeavesAnUnchangedFileAlone()
    {
        var source = Path.Combine(_root, "source.json");
        var destination = Path.Combine(_root, "out", "WarmGate.Tuning.X.json");
        File.WriteAllText(source, """{"schemaVersion":1}""");

        TuningTableFile.CopyIfDifferent(source, destination).Should().BeTrue();
        var firstWrite = File.GetLastWriteTimeUtc(destination);
        File.SetLastWriteTimeUtc(destination, firstWrite.AddMinutes(-5));
        TuningTableFile.CopyIfDifferent(source, destination).Should().BeFalse();

        File.GetLastWriteTimeUtc(destination).Should().Be(firstWrite.AddMinutes(-5));
        File.ReadAllText(destination).Should().Be("""{"schemaVersion":1}""");
        Directory.GetFiles(Path.Combine(_root, "out")).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void CopyIfDifferent_RewritesAChangedFile()
    {
        var source = Path.Combine(_root, "source.json");
        var destination = Path.Combine(_root, "WarmGate.Tuning.X.json");
        File.WriteAllText(destination, """{"schemaVersion":1,"old":true}""");
        File.WriteAllText(source, """{"schemaVersion":1}""");

        TuningTableFile.CopyIfDifferent(source, destination).Should().BeTrue();

        File.ReadAllText(destination).Should().Be("""{"schemaVersion":1}""");
    }
}
