namespace WarmGate.MSBuildTasks.Tests;

public sealed class TunerOutputTests
{
    [Fact]
    public void WroteLines_AreCollectedAsFullPathsWithoutDuplicates()
    {
        var output = new TunerOutput("/work/obj/warmgate");

        output.Add("tuning ssd.chunk_scan 1/3").Should().BeFalse();
        output.Add("wrote: /work/obj/warmgate/WarmGate.Tuning.CPU.json").Should().BeTrue();
        output.Add("  wrote:   WarmGate.Tuning.NVIDIA-H200.json  ").Should().BeTrue();
        output.Add("wrote: /work/obj/warmgate/WarmGate.Tuning.CPU.json").Should().BeTrue();

        output.WrittenFiles.Should().Equal(
            "/work/obj/warmgate/WarmGate.Tuning.CPU.json",
            "/work/obj/warmgate/WarmGate.Tuning.NVIDIA-H200.json");
    }

    [Theory]
    [InlineData("wrote:")]
    [InlineData("I wrote: something")]
    [InlineData("Wrote: /x.json")]
    public void LinesThatAreNotWroteLines_AreNotTables(string line)
    {
        var output = new TunerOutput("/work");

        output.Add(line).Should().BeFalse();

        output.WrittenFiles.Should().BeEmpty();
    }

    [Fact]
    public void Tail_KeepsOnlyTheLastLines()
    {
        var output = new TunerOutput("/work");
        for (var i = 1; i <= 50; i++)
        {
            output.Add($"line {i}");
        }

        output.Tail.Should().HaveCount(TunerOutput.TailLength);
        output.Tail.First().Should().Be($"line {50 - TunerOutput.TailLength + 1}");
        output.Tail.Last().Should().Be("line 50");
        output.FormatTail().Should().Contain("line 50").And.NotContain("line 30\n");
    }

    [Fact]
    public void FormatTail_SaysWhenThereWasNoOutput() =>
        new TunerOutput("/work").FormatTail().Should().Contain("printed nothing");

    [Fact]
    public void StderrLinesPushedOutOfTheTail_AreStillQuoted()
    {
        var output = new TunerOutput("/work");
        output.Add("Unhandled exception. boom", fromStandardError: true);
        for (var i = 1; i <= 30; i++)
        {
            output.Add($"step {i}");
        }

        var text = output.FormatTail();

        text.Should().Contain("step 30").And.Contain("stderr").And.Contain("Unhandled exception. boom");
    }

    [Fact]
    public void StderrLines_NeverReportTables()
    {
        var output = new TunerOutput("/work");

        output.Add("wrote: /work/WarmGate.Tuning.CPU.json", fromStandardError: true).Should().BeFalse();

        output.WrittenFiles.Should().BeEmpty();
    }
}
