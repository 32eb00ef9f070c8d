using WarmGate.Harness.Sdk;

namespace WarmGate.Harness.Tests.Integration;

/// <summary>
/// Runs <c>dotnet test</c> for real on the sample consumer projects under tests/Samples and
/// checks what a team would see: which tests fail and why, the run outcome, and the report.
/// Slow (each sample is built once), so they carry the Integration category.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SampleProjectTests(SampleWorkspace workspace) : IClassFixture<SampleWorkspace>
{
    private const string Unwarmed = "HarnessUnwarmed.UnwarmedPathTests.";
    private const string ThirdParty = "HarnessUnwarmed.ThirdPartyTests.";

    [Fact]
    public async Task An_unwarmed_path_fails_exactly_the_test_that_compiled_it()
    {
        var run = await workspace.TestAsync("HarnessUnwarmed", "unwarmed");

        run.ExitCode.Should().NotBe(0, run.Output);
        run.Trx.Named("Failed").Should().Equal(
            ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails",
            Unwarmed + "Theory_rows_are_gated_one_by_one(factor: 16)",
            Unwarmed + "Unwarmed_path_fails_this_test");
        run.Trx.Named("Passed").Should().Equal(
            "HarnessUnwarmed.BackgroundWorkTests.Work_that_does_not_flow_from_the_test_is_blamed_on_the_run",
            ThirdParty + "Third_party_test_case_on_a_warm_path_passes",
            Unwarmed + "Theory_rows_are_gated_one_by_one(factor: 1)",
            Unwarmed + "Unwarmed_path_in_off_mode_passes",
            Unwarmed + "Unwarmed_path_in_warn_mode_passes",
            "HarnessUnwarmed.WarmPathTests.Warm_path_compiles_nothing");

        var failure = run.Trx[Unwarmed + "Unwarmed_path_fails_this_test"].Message;
        failure.Should().StartWith("WarmGate.Harness.WarmGateViolationException : WarmGate: 1 kernel compile after load");
        failure.Should().Contain("kernel sample.scale key=factor=2 config=group=16")
            .And.Contain("FakeTarget.cs:").And.Contain("Add this path to the warmup plan");
        run.Trx[Unwarmed + "Theory_rows_are_gated_one_by_one(factor: 16)"].Message.Should().Contain("key=factor=16").And.NotContain("factor=2 ");
        run.Trx[Unwarmed + "Unwarmed_path_in_warn_mode_passes"].StdOut.Should().Contain("key=factor=4").And.Contain("gate mode is warn");
        run.Trx[Unwarmed + "Unwarmed_path_in_off_mode_passes"].StdOut.Should().NotContain("WarmGate");
        // A test case type from another extension is gated through the message bus.
        run.Trx[ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails"].Message.Should()
            .StartWith("WarmGate.Harness.WarmGateViolationException").And.Contain("key=factor=128");

        // The compile that did not flow from any test fails the run, not a test.
        run.Trx.Outcome.Should().Be("Failed");
        run.Trx.RunInfos.Should().Contain(i => i.Outcome == "Error"
            && i.Text.Contains("outside any running test", StringComparison.Ordinal) && i.Text.Contains("key=factor=32", StringComparison.Ordinal));

        var report = SampleWorkspace.ReadReport(workspace.DefaultReportDirectory, "HarnessUnwarmed");
        report.Verdict.Should().Be("failed");
        report.Events.Where(e => e.Phase == "Serving").Select(e => (e.Key, e.Verdict, e.Test)).Should().BeEquivalentTo(new (string, EventVerdict, string?)[]
        {
            ("factor=2", EventVerdict.FailedTest, Unwarmed + "Unwarmed_path_fails_this_test"),
            ("factor=16", EventVerdict.FailedTest, Unwarmed + "Theory_rows_are_gated_one_by_one(factor: 16)"),
            ("factor=4", EventVerdict.Warned, Unwarmed + "Unwarmed_path_in_warn_mode_passes"),
            ("factor=8", EventVerdict.Ignored, Unwarmed + "Unwarmed_path_in_off_mode_passes"),
            ("factor=32", EventVerdict.OutsideAnyTest, null),
            ("factor=128", EventVerdict.FailedTest, ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails"),
        });
        report.WarmedKeys.Select(k => k.Key).Should().Equal("factor=1");
        report.Summary.FailedTests.Should().Be(3);

        // WARMGATE_GATE is the default for tests without an attribute; attributes still win.
        var offDir = Path.Combine(workspace.Root, "reports-off");
        var off = await workspace.TestAsync("HarnessUnwarmed", "unwarmed-off", build: false,
            new Dictionary<string, string> { ["WARMGATE_GATE"] = "off", ["WARMGATE_REPORT_DIR"] = offDir });
        off.ExitCode.Should().Be(0, off.Output);
        off.Trx.Named("Failed").Should().BeEmpty();
        off.Trx[Unwarmed + "Unwarmed_path_in_warn_mode_passes"].StdOut.Should().Contain("gate mode is warn");
        SampleWorkspace.ReadReport(offDir, "HarnessUnwarmed").Verdict.Should().Be("passed");
    }

    [Fact]
    public async Task A_clean_run_passes_and_start_up_and_configuration_errors_fail_every_test_with_the_cause()
    {
        var run = await workspace.TestAsync("HarnessClean", "clean");

        run.ExitCode.Should().Be(0, run.Output);
        run.Trx.Named("Failed").Should().BeEmpty();
        run.Trx.Named("Passed").Should().HaveCount(4);
        run.Trx.Outcome.Should().Be("Completed");
        var report = SampleWorkspace.ReadReport(workspace.DefaultReportDirectory, "HarnessClean");
        report.Verdict.Should().Be("passed");
        report.Summary.AfterLoad.Should().Be(0);
        report.Events.Should().ContainSingle().Which.Should().Match<ReportEvent>(e => e.Phase == "WarmingUp" && e.Key == "factor=1");
        report.Tables.Should().BeEmpty();

        var broken = await workspace.TestAsync("HarnessClean", "clean-load-fails", build: false,
            new Dictionary<string, string> { ["HARNESS_SAMPLE_FAIL_LOAD"] = "1" });
        broken.ExitCode.Should().NotBe(0);
        broken.Trx.Named("Passed").Should().Equal("HarnessClean.TestsWithoutTheFixture.Plain_tests_run_under_the_gate_too");
        var failed = broken.Trx.Tests.Where(t => t.Outcome == "Failed").ToList();
        failed.Should().HaveCount(3);
        failed.Should().OnlyContain(t => t.Message.StartsWith("WarmGate.Harness.WarmGateStartupException : SampleFixture failed while loading 'fake'", StringComparison.Ordinal)
            && t.Message.Contains("weights are missing", StringComparison.Ordinal));

        var invalid = await workspace.TestAsync("HarnessClean", "clean-invalid-mode", build: false,
            new Dictionary<string, string> { ["WARMGATE_GATE"] = "sometimes" });
        invalid.ExitCode.Should().NotBe(0);
        invalid.Trx.Tests.Should().HaveCount(4).And.OnlyContain(t => t.Outcome == "Failed"
            && t.Message.Contains("WARMGATE_GATE is 'sometimes', which is not a gate mode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parallel_collections_fail_only_the_one_that_compiled()
    {
        var run = await workspace.TestAsync("HarnessParallel", "parallel");

        run.ExitCode.Should().NotBe(0, run.Output);
        const string offender = "HarnessParallel.OffenderTests.Compiles_while_the_other_collection_runs";
        run.Trx.Named("Failed").Should().Equal(offender);
        // The innocent test waits for the offender to compile while it runs: it passes only if
        // the two overlapped and the compile was not blamed on it.
        run.Trx.Named("Passed").Should().Equal("HarnessParallel.InnocentTests.Runs_warm_paths_while_the_other_collection_compiles");
        run.Trx[offender].Message.Should().Contain("kernel sample.scale key=factor=64").And.Contain($"in test '{offender}'");

        var report = SampleWorkspace.ReadReport(workspace.DefaultReportDirectory, "HarnessParallel");
        report.Events.Where(e => e.Phase == "Serving").Should().ContainSingle()
            .Which.Should().Match<ReportEvent>(e => e.Test == offender && e.Verdict == EventVerdict.FailedTest);
        report.Summary.OutsideAnyTest.Should().Be(0);
    }
}
