namespace WarmGate.MSBuildTasks.Tests.Integration;

[Trait("Category", "Integration")]
[Collection(PackageCollection.Name)]
public sealed class PretuneBuildTests
{
    private const string TuningStarted = "WarmGate: tuning the kernels";
    private readonly PackageFixture _fixture;

    public PretuneBuildTests(PackageFixture fixture)
    {
        fixture.EnsureReady();
        _fixture = fixture;
    }

    [Fact]
    public async Task CpuBuild_EmbedsTheTable_KeepsACopy_AndTheSecondBuildRunsNoTuning()
    {
        var consumer = new ConsumerProject(_fixture, "cpu");
        var artifacts = Path.Combine(consumer.Directory, "ci-tuning");

        var first = await consumer.BuildAsync("WarmGateDevice=cpu", "WarmGateArtifactsDir=" + artifacts);

        first.ExitCode.Should().Be(0, first.ToString());
        first.Output.Should().Contain(TuningStarted);
        var resources = ManifestResources.Read(consumer.AssemblyPath);
        var table = resources.Keys.Should().ContainSingle(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal)).Subject;
        table.Should().Be("WarmGate.Tuning.CPU.json");
        System.Text.Encoding.UTF8.GetString(resources[table]).Should().Contain("\"schemaVersion\"");
        File.ReadAllBytes(Path.Combine(artifacts, table)).Should().Equal(resources[table], "CI keeps the embedded table");
        var tablePath = Path.Combine(consumer.TablesDirectory, table);
        var tunedAt = File.GetLastWriteTimeUtc(tablePath);

        var second = await consumer.BuildAsync("WarmGateDevice=cpu", "WarmGateArtifactsDir=" + artifacts);

        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().NotContain(TuningStarted).And.NotContain("tuning ssd.");
        File.GetLastWriteTimeUtc(tablePath).Should().Be(tunedAt);
        ManifestResources.Read(consumer.AssemblyPath).Keys.Should().Contain("WarmGate.Tuning.CPU.json");
    }

    [Fact]
    public async Task CudaWithoutGpu_Warn_WarnsWG1002_AndBuildsWithoutATable()
    {
        var consumer = new ConsumerProject(_fixture, "cuda-warn");

        var result = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=warn");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("warning WG1002").And.Contain("tuned at warmup");
        ManifestResources.Read(consumer.AssemblyPath).Keys.Should().NotContain(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CudaWithoutGpu_WarnWithCheckedInTable_EmbedsThatTable()
    {
        var consumer = new ConsumerProject(_fixture, "cuda-table");
        var checkedIn = Path.Combine(consumer.Directory, "tables", "WarmGate.Tuning.NVIDIA-H200.json");
        Directory.CreateDirectory(Path.GetDirectoryName(checkedIn)!);
        File.WriteAllText(checkedIn, """{"schemaVersion":1,"device":{"name":"NVIDIA H200"},"entries":[]}""");

        var result = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateTuningTable=tables/WarmGate.Tuning.NVIDIA-H200.json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("warning WG1002").And.Contain("embedding the checked-in table");
        ManifestResources.Read(consumer.AssemblyPath)["WarmGate.Tuning.NVIDIA-H200.json"].Should().Equal(File.ReadAllBytes(checkedIn));
    }

    [Fact]
    public async Task CudaWithoutGpu_Error_FailsTheBuildWithWG1003()
    {
        var consumer = new ConsumerProject(_fixture, "cuda-error");

        var result = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=error");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("error WG1003");
        File.Exists(consumer.AssemblyPath).Should().BeFalse("the build stopped before compiling");
    }

    [Fact]
    public async Task InvalidProperty_FailsTheBuildWithWG1001()
    {
        var consumer = new ConsumerProject(_fixture, "invalid");

        var result = await consumer.BuildAsync("WarmGateDevice=cpu", "WarmGateTunerTimeout=soon");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("error WG1001").And.Contain("WarmGateTunerTimeout");
        result.Output.Should().NotContain(TuningStarted);
    }

    [Fact]
    public async Task DesignTimeBuild_RunsNoTuning()
    {
        var consumer = new ConsumerProject(_fixture, "design-time");

        var result = await consumer.MSBuildAsync("PrepareResources", "WarmGateDevice=cpu", "DesignTimeBuild=true", "BuildingProject=true");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().NotContain(TuningStarted);
        Directory.Exists(consumer.TablesDirectory).Should().BeFalse();
    }
}
