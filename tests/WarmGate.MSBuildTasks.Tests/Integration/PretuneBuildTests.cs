namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// Builds of a consumer with only the task package, each against the real `warmgate tune` in the package (there is
/// no GPU here, so `--device cuda` really exits 3), except the crash, which the real tuner cannot do on demand.
/// </summary>
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
    public async Task CudaWithoutGpu_Error_FailsTheBuildWithWG1003()
    {
        var consumer = ConsumerProject.Plain(_fixture, "cuda-error");

        var result = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=error");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("error WG1003");
        result.Output.Should().Contain("No CUDA device found", "the real tuner was asked and said why");
        File.Exists(consumer.AssemblyPath).Should().BeFalse("the build stopped before compiling");
    }

    [Fact]
    public async Task CudaWithoutGpu_Cpu_TunesOnTheCpuAndEmbedsThatTable()
    {
        var consumer = ConsumerProject.Plain(_fixture, "cuda-cpu");

        var result = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=cpu");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("tuning on the CPU instead").And.NotContain("warning WG");
        var resources = ManifestResources.Read(consumer.AssemblyPath);
        resources.Keys.Where(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal))
            .Should().Equal("WarmGate.Tuning.CPUAccelerator.json");
        System.Text.Encoding.UTF8.GetString(resources["WarmGate.Tuning.CPUAccelerator.json"]).Should().Contain("\"kernelHash\"");
    }

    [Fact]
    public async Task InvalidProperties_FailTheBuildWithWG1001_BeforeAnythingRuns()
    {
        var consumer = ConsumerProject.Plain(_fixture, "invalid");

        var result = await consumer.BuildAsync("WarmGateDevice=gpu", "WarmGateTuning=fast");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("error WG1001: WarmGateDevice is 'gpu'")
            .And.Contain("error WG1001: WarmGateTuning is 'fast'");
        result.Output.Should().NotContain(TuningStarted);
    }

    [Fact]
    public async Task MalformedModelFolder_FailsTheBuildWithWG1007_QuotingTheTuner()
    {
        var consumer = ConsumerProject.Plain(_fixture, "bad-model");
        var model = Path.Combine(consumer.Directory, "models", "broken");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{ \"d_model\": ");

        var result = await consumer.BuildAsync("WarmGateDevice=cpu", "WarmGateModel=models/broken");

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("error WG1007").And.Contain("config.json");
        File.Exists(consumer.AssemblyPath).Should().BeFalse();
    }

    [Fact]
    public async Task TunerCrash_FailsTheBuildWithWG1009_AndTheNextBuildTunesAfresh()
    {
        var crashingTuner = await _fixture.CrashingTunerAsync();
        var consumer = ConsumerProject.Plain(_fixture, "crash");

        var crashed = await consumer.BuildAsync("WarmGateDevice=cpu", "WarmGateTunerPath=" + crashingTuner);

        crashed.ExitCode.Should().NotBe(0, crashed.ToString());
        crashed.Output.Should().Contain("error WG1009").And.Contain("simulated tuner crash").And.Contain("warmup prefill (37 tokens)");
        File.Exists(consumer.AssemblyPath).Should().BeFalse();

        var recovered = await consumer.BuildAsync("WarmGateDevice=cpu");

        recovered.ExitCode.Should().Be(0, recovered.ToString());
        recovered.Output.Should().Contain(TuningStarted);
        var table = ManifestResources.Read(consumer.AssemblyPath)["WarmGate.Tuning.CPUAccelerator.json"];
        System.Text.Encoding.UTF8.GetString(table).Should().Contain("\"kernelHash\"", "the half-written table of the crash was replaced");
    }

    [Fact]
    public async Task DesignTimeBuild_RunsNoTuning()
    {
        var consumer = ConsumerProject.Plain(_fixture, "design-time");

        var result = await consumer.MSBuildAsync("PrepareResources", "WarmGateDevice=cpu", "DesignTimeBuild=true", "BuildingProject=true");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().NotContain(TuningStarted);
        Directory.Exists(consumer.TablesDirectory).Should().BeFalse();
    }
}
