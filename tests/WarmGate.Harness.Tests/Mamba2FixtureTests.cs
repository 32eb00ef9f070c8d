using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;
using Xunit.Abstractions;

namespace WarmGate.Harness.Tests;

/// <summary>The Mamba2 fixture on the real tiny model: one full warmup (several seconds on the CPU accelerator).</summary>
[Collection(nameof(ActiveSessionCollection))]
public sealed class Mamba2FixtureTests : IDisposable
{
    private readonly RecordingSink sink = new();
    private readonly string folder = Directory.CreateTempSubdirectory("warmgate-fixture-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_tiny_model_warms_up_with_its_tables_and_serves_prefill_and_decode_without_compiling()
    {
        var table = Path.Combine(folder, "cpu.json");
        TuningTableWriter.WriteFile(TestTables.ForThisCpu(), table);
        using var session = new GateSession();
        using var active = session.Activate();
        using var listening = session.Listen();
        var fixture = new Fixture(sink, new Mamba2TargetOptions
        {
            Device = DeviceKind.Cpu,
            Environment = name => name == TuningTableSources.EnvironmentVariable ? table : null,
            TableAssemblies = [],
        });

        await fixture.InitializeAsync();
        try
        {
            fixture.StartupFailure.Should().BeNull();
            var runtime = fixture.Runtime;
            runtime.Phase.Should().Be(KernelPhase.Serving);
            var mine = session.Events.Where(r => r.Event.Runtime == runtime.Registry.Name).Select(r => r.Event).ToList();
            mine.Should().NotBeEmpty().And.OnlyContain(e => e.Phase != KernelPhase.Serving);
            // The table chose the SSD configuration (quick tuning would take the first candidate); only the linear keys were tuned.
            mine.Where(e => e.Kind == KernelEventKind.Compiled && e.Kernel == "ssd.chunk_scan").Should().HaveCount(2)
                .And.OnlyContain(e => e.Config == TestTables.SecondSsdCandidate);
            mine.Where(e => e.Kind == KernelEventKind.TuneStarted).Select(e => e.Kernel).Should().Equal("linear.gemm", "linear.gemm", "linear.gemm");

            fixture.Target.TuningTables.Select(t => t.Origin).Should().Equal("WARMGATE_TUNING_TABLE", "tuned at warmup");
            fixture.Target.TuningTables[1].Description.Should().StartWith("3 key(s) no table covered, tuned quick (first candidate only): linear.gemm [");
            session.Tables.Should().Equal(fixture.Target.TuningTables);
            sink.Diagnostics.Should().Contain("WarmGate: Fixture loads model 'builtin:tiny' (from default) on device cpu, tuning by device (quick on the CPU accelerator, full on CUDA).")
                .And.Contain(d => d.StartsWith("WarmGate: warmup prefill (", StringComparison.Ordinal))
                .And.Contain(d => d.Contains("gate is armed", StringComparison.Ordinal));

            var test = session.BeginTest("Serves", GateMode.Error);
            using (var cache = runtime.CreateCache(2))
            {
                var logits = await Task.Run(() => runtime.Prefill([[1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]], cache));
                logits.Should().HaveCount(2).And.OnlyContain(l => l.Length == BuiltinModels.TinyConfig.VocabSize && l.All(float.IsFinite));
                runtime.Decode([5, 6], cache, [0, 1]).Should().HaveCount(2);
            }
            test.End().Should().BeEmpty("prefill and decode of any length reuse the warm kernels");

            var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
            report.Summary.AfterLoad.Should().Be(0);
            var keys = report.WarmedKeys.Where(k => k.Runtime == runtime.Registry.Name).ToList();
            keys.Single(k => k.Kernel == "decode.state_update").UsedBy.Should().Equal("Serves");
            keys.Single(k => k.Kernel == "ssd.chunk_scan" && k.Key.Contains("init=0", StringComparison.Ordinal)).UsedBy.Should().Equal("Serves");
            // No test continued a prefill from the cache: the kernels warmed only for that path were never used.
            keys.Where(k => k.NeverUsed).Select(k => k.Kernel).Should().BeEquivalentTo("conv1d.prefill", "ssd.state_passing", "ssd.chunk_scan");
            keys.Where(k => k.NeverUsed).Should().OnlyContain(k => k.Key.Contains("init=1", StringComparison.Ordinal));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_model_folder_fails_every_test_with_the_ModelFormatException_naming_the_file()
    {
        var model = TestTables.BrokenCheckpoint(folder);
        using var session = new GateSession();
        using var active = session.Activate();
        var fixture = new Fixture(sink, new Mamba2TargetOptions { Model = model, Environment = _ => null, TableAssemblies = [] });

        await fixture.InitializeAsync();

        var failure = fixture.StartupFailure.Should().BeOfType<WarmGateStartupException>().Subject;
        var config = Path.Combine(model, "config.json");
        failure.Message.Should().StartWith($"Fixture failed while loading '{model}', so no test that uses it can run: ModelFormatException: {config}: ");
        failure.InnerException.Should().BeOfType<ModelFormatException>().Which.File.Should().Be(config);
        var runtime = () => fixture.Runtime;
        runtime.Should().Throw<WarmGateStartupException>().WithInnerException<ModelFormatException>();
        session.Targets.Should().BeEmpty();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task An_invalid_setting_fails_while_creating_the_target()
    {
        using var session = new GateSession();
        using var active = session.Activate();
        var fixture = new Fixture(sink, new Mamba2TargetOptions { Environment = name => name == "WARMGATE_TUNE" ? "slow" : null });

        await fixture.InitializeAsync();

        fixture.StartupFailure!.Message.Should().Contain("failed while creating the target").And.Contain("WARMGATE_TUNE is 'slow'");
        fixture.StartupFailure.InnerException.Should().BeOfType<WarmGateConfigurationException>();
        await fixture.DisposeAsync();
    }

    private sealed class Fixture(IMessageSink sink, Mamba2TargetOptions options) : Mamba2Fixture(sink)
    {
        protected override Mamba2TargetOptions Options => options;
    }
}
