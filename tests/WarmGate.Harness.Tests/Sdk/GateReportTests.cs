using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class GateReportTests : IDisposable
{
    private readonly GateSession session = new();
    private readonly string folder = Directory.CreateTempSubdirectory("warmgate-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void RecordARun()
    {
        session.Record(Events.Compiled(KernelPhase.WarmingUp, key: "used"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, key: "unused"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, key: "used"));
        var failing = session.BeginTest("Failing | test", GateMode.Error);
        session.Record(Events.CompiledHere(key: "cold"));
        session.RecordUse("unit", "ssd.chunk_scan", "used", "Q=64", KernelScope.Current);
        failing.End();
        var warned = session.BeginTest("Warned", GateMode.Warn);
        session.Record(Events.CompiledHere(key: "cold2"));
        warned.End();
        session.Record(Events.Compiled(key: "background"));
    }

    [Fact]
    public void The_report_lists_every_event_with_phase_test_and_verdict()
    {
        RecordARun();
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);

        report.Verdict.Should().Be("failed");
        report.Summary.Should().Be(new ReportSummary(
            Events: 6, AfterLoad: 3, FailedTests: 1, WarnedTests: 1, OutsideAnyTest: 1, WarmedKeys: 2, UnusedWarmedKeys: 1));
        report.Events.Select(e => (e.Phase, e.Key, e.Test, e.Verdict)).Should().Equal(
            ("WarmingUp", "used", null, EventVerdict.Allowed),
            ("WarmingUp", "unused", null, EventVerdict.Allowed),
            ("WarmingUp", "used", null, EventVerdict.Allowed),
            ("Serving", "cold", "Failing | test", EventVerdict.FailedTest),
            ("Serving", "cold2", "Warned", EventVerdict.Warned),
            ("Serving", "background", null, EventVerdict.OutsideAnyTest));
    }

    [Fact]
    public void Warmed_keys_say_which_tests_used_them()
    {
        RecordARun();
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
        report.UsageObserved.Should().BeTrue();
        report.WarmedKeys.Select(k => (k.Key, string.Join(",", k.UsedBy!))).Should().Equal(("used", "Failing | test"), ("unused", ""));
        report.WarmedKeys.Select(k => k.NeverUsed).Should().Equal(false, true);
    }

    [Fact]
    public void A_launch_is_tied_to_the_compiled_key_it_ran()
    {
        // conv: two keys, launches report none; scan: one compiled key, launched under another key.
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "conv", key: "init=0", config: "GS=64"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "conv", key: "init=1", config: "GS=64"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "scan", key: "init=0", config: "Q=16"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "gemm", key: "K=32", config: "BM=16"));
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "gemm", key: "K=64", config: "BM=16"));
        var a = session.BeginTest("A", GateMode.Error);
        session.RecordUse("unit", "gemm", "K=64", "BM=16", KernelScope.Current);
        session.RecordUse("unit", "scan", "init=1", "Q=16", KernelScope.Current);
        a.End();
        var b = session.BeginTest("B", GateMode.Error);
        session.RecordUse("unit", "conv", "", "", KernelScope.Current);
        session.RecordUse("unit", "never-compiled", "x", "y", KernelScope.Current);
        b.End();

        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);

        report.WarmedKeys.Select(k => (k.Kernel, k.Key, string.Join(",", k.UsedBy!), string.Join(",", k.MaybeUsedBy!))).Should().Equal(
            ("conv", "init=0", "", "B"),
            ("conv", "init=1", "", "B"),
            ("scan", "init=0", "A", ""),
            ("gemm", "K=32", "", ""),
            ("gemm", "K=64", "A", ""));
        report.Summary.UnusedWarmedKeys.Should().Be(1);
        var md = GateReportWriter.ToMarkdown(report);
        md.Should().Contain("4 of 5 warmed key(s) were launched by tests; 1 never were: warmup compiles them, but no test covers them.");
        md.Should().Contain("| unit | conv | init=0 | GS=64 | maybe: B |");
        md.Should().Contain("| unit | gemm | K=32 | BM=16 | **never used** |");
        md.Should().Contain("\"Maybe\": the test launched this kernel");
    }

    [Fact]
    public void A_kernel_compiled_after_load_makes_launches_of_its_id_ambiguous()
    {
        session.Record(Events.Compiled(KernelPhase.WarmingUp, kernel: "scan", key: "in=f32,init=0", config: "Q=16"));
        var cold = session.BeginTest("Cold", GateMode.Off);
        session.Record(Events.CompiledHere(key: "in=f16,init=0") with { Kernel = "scan", Config = "Q=16" });
        session.RecordUse("unit", "scan", "in=f16,init=0", "Q=16", KernelScope.Current);
        session.RecordUse("unit", "scan", "in=f32,init=1", "Q=16", KernelScope.Current);
        cold.End();

        var key = GateReportBuilder.Build(session, "My.Tests", GateMode.Error).WarmedKeys.Should().ContainSingle().Subject;

        key.UsedBy.Should().BeEmpty();
        key.MaybeUsedBy.Should().Equal("Cold");
        key.NeverUsed.Should().BeFalse();
    }

    [Fact]
    public void Without_observed_launches_usage_is_unknown_not_unused()
    {
        session.Record(Events.Compiled(KernelPhase.WarmingUp));
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
        report.Verdict.Should().Be("passed");
        report.WarmedKeys.Should().ContainSingle().Which.Should().Match<ReportWarmedKey>(k => k.UsedBy == null && k.MaybeUsedBy == null && !k.NeverUsed);
        report.Summary.UnusedWarmedKeys.Should().BeNull();
        GateReportWriter.ToMarkdown(report).Should().Contain("not observed").And.Contain("| unknown |");
    }

    [Fact]
    public async Task Tables_come_from_the_registered_targets()
    {
        await using var target = new TableTarget();
        session.AddTarget(target);
        GateReportBuilder.Build(session, "My.Tests", GateMode.Error).Tables
            .Should().Equal(new TuningTableUse("WarmGate.Tuning.cpu.json", "embedded", "3 entries"));
    }

    [Fact]
    public void Events_a_runner_could_not_report_count_as_outside_any_test()
    {
        var gate = session.BeginTest("Custom", GateMode.Error);
        session.Record(Events.CompiledHere());
        session.AddUnreported("Custom", gate.End());
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
        report.Events.Should().ContainSingle().Which.Should().Match<ReportEvent>(
            e => e.Verdict == EventVerdict.OutsideAnyTest && e.Test == "Custom" && e.Note.Contains("after its result was reported"));
        report.Summary.FailedTests.Should().Be(0);
        report.Summary.OutsideAnyTest.Should().Be(1);
        report.Verdict.Should().Be("failed");
    }

    [Fact]
    public void Outside_events_in_warn_mode_do_not_fail_the_report()
    {
        session.Record(Events.Compiled(key: "background"));
        GateReportBuilder.Build(session, "My.Tests", GateMode.Warn).Verdict.Should().Be("passed");
    }

    [Fact]
    public void Written_files_round_trip_and_leave_no_temporary_files()
    {
        RecordARun();
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
        var paths = GateReportWriter.Write(report, Path.Combine(folder, "new"));

        paths.Select(Path.GetFileName).Should().Equal("My.Tests.warmgate.json", "My.Tests.warmgate.md");
        Directory.GetFiles(Path.Combine(folder, "new")).Should().HaveCount(2);
        var json = File.ReadAllText(paths[0]);
        json.Should().Contain("\"verdict\": \"failedTest\"").And.Contain("\"runMode\": \"error\"").And.Contain("Kernels.ChunkScan<F32,On>");
        var back = GateReportWriter.FromJson(json);
        back.Events.Should().Equal(report.Events);
        back.Summary.Should().Be(report.Summary);
    }

    [Fact]
    public void Markdown_lists_after_load_events_and_escapes_table_cells()
    {
        RecordARun();
        var md = GateReportWriter.ToMarkdown(GateReportBuilder.Build(session, "My.Tests", GateMode.Error));
        md.Should().StartWith("# WarmGate report: My.Tests");
        md.Should().Contain("**Failed.**");
        md.Should().Contain("| Failing \\| test | failed the test | Compiled | ssd.chunk_scan | cold | Q=64 | 12.5 |");
        md.Should().Contain("| (none) | outside any test | Compiled | ssd.chunk_scan | background |");
        md.Should().Contain("| unit | ssd.chunk_scan | unused | Q=64 | **never used** |");
        md.Should().Contain("No tuning table was reported");
    }

    [Fact]
    public void A_clean_run_says_nothing_compiled_after_load()
    {
        var md = GateReportWriter.ToMarkdown(GateReportBuilder.Build(session, "My.Tests", GateMode.Error));
        md.Should().Contain("**Passed.**").And.Contain("Nothing compiled or tuned after load.");
    }

    private sealed class TableTarget : IWarmGateTarget
    {
        public string Name => "tables";

        public KernelRegistry Registry => throw new NotSupportedException();

        public IReadOnlyList<TuningTableUse> TuningTables => [new("WarmGate.Tuning.cpu.json", "embedded", "3 entries")];

        public Task LoadAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task WarmupAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
