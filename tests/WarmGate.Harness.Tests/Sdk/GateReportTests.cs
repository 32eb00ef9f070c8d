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
    }

    [Fact]
    public void Without_observed_launches_usage_is_unknown_not_unused()
    {
        session.Record(Events.Compiled(KernelPhase.WarmingUp));
        var report = GateReportBuilder.Build(session, "My.Tests", GateMode.Error);
        report.Verdict.Should().Be("passed");
        report.WarmedKeys.Should().ContainSingle().Which.UsedBy.Should().BeNull();
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
