using System.Text.Json;

namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>
/// The promise end to end: a consumer app that references WarmGate.MSBuildTasks and WarmGate.Kernels (both packed
/// from this repository) is built with pre-tuning on the CPU, and at run time the table embedded in its own assembly
/// covers every key of the warmup, so the warmup only compiles and never tunes.
/// </summary>
[Trait("Category", "Integration")]
[Collection(PackageCollection.Name)]
public sealed class EndToEndTests
{
    private const string TableName = "WarmGate.Tuning.CPUAccelerator.json";
    private const string TuningStarted = "WarmGate: tuning the kernels";
    private readonly PackageFixture _fixture;

    public EndToEndTests(PackageFixture fixture)
    {
        fixture.EnsureReady();
        _fixture = fixture;
    }

    [Fact]
    public async Task CpuBuild_EmbedsTheTunedTable_AndTheAppWarmsUpWithoutTuning()
    {
        var app = await TunedAppAsync();

        app.FirstBuild.Output.Should().Contain(TuningStarted).And.Contain("quick tuning").And.Contain("wrote: ");
        var resources = ManifestResources.Read(app.Consumer.AssemblyPath);
        resources.Keys.Where(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal)).Should().Equal(TableName);
        File.ReadAllBytes(Path.Combine(app.ArtifactsDirectory, TableName)).Should().Equal(resources[TableName], "CI keeps the embedded table");
        using (var table = JsonDocument.Parse(resources[TableName]))
        {
            table.RootElement.GetProperty("device").GetProperty("name").GetString().Should().Be("CPUAccelerator");
            table.RootElement.GetProperty("entries").GetArrayLength().Should().BePositive();
        }

        var run = await app.Consumer.RunAppAsync("--device", "cpu", "--require-table");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain($"resource '{TableName}' in assembly 'Consumer'").And.Contain("rejected: 0");
        var (tuningRuns, compilations) = AppOutput.Warmup(run);
        tuningRuns.Should().Be(0, "the embedded table covers every key of the warmup plan");
        compilations.Should().BePositive("start-up still compiles the chosen configurations");
    }

    [Fact]
    public async Task SecondBuild_RunsNoTuning_AndEmbedsTheSameTable()
    {
        var app = await TunedAppAsync();
        var tablePath = Path.Combine(app.Consumer.TablesDirectory, TableName);
        var tunedAt = File.GetLastWriteTimeUtc(tablePath);
        var embedded = ManifestResources.Read(app.Consumer.AssemblyPath)[TableName];

        var second = await app.Consumer.BuildAsync(app.Properties);

        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().NotContain(TuningStarted).And.NotContain("wrote: ");
        File.GetLastWriteTimeUtc(tablePath).Should().Be(tunedAt);
        ManifestResources.Read(app.Consumer.AssemblyPath)[TableName].Should().Equal(embedded);
    }

    [Fact]
    public async Task CudaWithoutGpu_Warn_WarnsWG1002_AndTheAppTunesAtWarmup_WhichTheCiCheckCatches()
    {
        var consumer = ConsumerProject.WithKernels(_fixture, "e2e-no-gpu");

        var build = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=warn");

        build.ExitCode.Should().Be(0, build.ToString());
        build.Output.Should().Contain("warning WG1002").And.Contain("tuned at warmup");
        ManifestResources.Read(consumer.AssemblyPath).Keys.Should().NotContain(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal));

        var run = await consumer.RunAppAsync("--device", "cpu", "--require-table");

        run.ExitCode.Should().Be(1, "the app's CI check (--require-table) fails when no table applies: " + run);
        run.Output.Should().Contain("tables: 0").And.Contain("no tuning table entry applies");
        AppOutput.Warmup(run).TuningRuns.Should().BePositive("without a table the kernels are tuned at warmup, as WG1002 says");
    }

    [Fact]
    public async Task CudaWithoutGpu_WarnWithCheckedInTable_EmbedsIt_AndTheAppWarmsUpWithoutTuning()
    {
        // The CI flow without a GPU: a table tuned elsewhere is checked in and embedded instead of tuning. The CPU
        // table tuned above stands in for the GPU table, so the app can use it on this machine.
        var tuned = await TunedAppAsync();
        var consumer = ConsumerProject.WithKernels(_fixture, "e2e-checked-in");
        var checkedIn = Path.Combine(consumer.Directory, "eng", "tuning", TableName);
        Directory.CreateDirectory(Path.GetDirectoryName(checkedIn)!);
        File.Copy(Path.Combine(tuned.ArtifactsDirectory, TableName), checkedIn);

        var build = await consumer.BuildAsync("WarmGateDevice=cuda", "WarmGateWhenNoGpu=warn", "WarmGateTuningTable=eng/tuning/" + TableName);

        build.ExitCode.Should().Be(0, build.ToString());
        build.Output.Should().Contain("warning WG1002").And.Contain("embedding the checked-in table");
        ManifestResources.Read(consumer.AssemblyPath)[TableName].Should().Equal(File.ReadAllBytes(checkedIn));

        var run = await consumer.RunAppAsync("--device", "cpu", "--require-table");

        run.ExitCode.Should().Be(0, run.ToString());
        AppOutput.Warmup(run).TuningRuns.Should().Be(0, "the checked-in table covers every key");
    }

    /// <summary>One consumer built once with CPU pre-tuning, shared by the tests that assert on it.</summary>
    private Task<TunedApp> TunedAppAsync() => _fixture.SharedAsync("e2e-tuned-app", async () =>
    {
        var consumer = ConsumerProject.WithKernels(_fixture, "e2e-cpu");
        var artifacts = Path.Combine(consumer.Directory, "ci-tuning");
        string[] properties = ["WarmGateDevice=cpu", "WarmGateArtifactsDir=" + artifacts];
        var first = await consumer.BuildAsync(properties);
        if (first.ExitCode != 0)
        {
            throw new InvalidOperationException($"The pre-tuning build of the end-to-end app failed: {first}");
        }

        return new TunedApp(consumer, properties, first, artifacts);
    });

    private sealed record TunedApp(ConsumerProject Consumer, string[] Properties, ProcessResult FirstBuild, string ArtifactsDirectory);
}
