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
    private const string PrefillRow = "Theory_rows_are_gated_one_by_one(request: \"model prefill\")";
    private const string ZRow = "Theory_rows_are_gated_one_by_one(request: \"fp32 SSD gated by z\")";

    /// <summary>The SSD compile key of the tiny model's layer shape for the samples' own SSD calls.</summary>
    private static string SsdKey(string input, string state, int z) =>
        $"H=4,P=16,G=2,N=16,in={input},st={state},D=head,z={z},init=0,sp=1,bias=1,lim=0";

    [Fact]
    public async Task An_unwarmed_path_of_the_real_model_fails_exactly_the_test_that_compiled_it()
    {
        var run = await workspace.TestAsync("HarnessUnwarmed", "unwarmed");

        run.ExitCode.Should().NotBe(0, run.Output);
        run.Trx.Named("Failed").Should().Equal(
            ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails",
            Unwarmed + ZRow,
            Unwarmed + "Unwarmed_path_fails_this_test");
        run.Trx.Named("Passed").Should().Equal(
            "HarnessUnwarmed.BackgroundWorkTests.Work_that_does_not_flow_from_the_test_is_blamed_on_the_run",
            ThirdParty + "Third_party_test_case_on_a_warm_path_passes",
            Unwarmed + PrefillRow,
            Unwarmed + "Unwarmed_path_in_off_mode_passes",
            Unwarmed + "Unwarmed_path_in_warn_mode_passes",
            "HarnessUnwarmed.WarmPathTests.Warm_path_compiles_nothing");

        // fp16 inputs through the model's registry: the warmup plan covers fp32 only.
        var failure = run.Trx[Unwarmed + "Unwarmed_path_fails_this_test"].Message;
        failure.Should().MatchRegex(@"^WarmGate\.Harness\.WarmGateViolationException : WarmGate: \d+ kernel compiles? after load \(Serving phase\) in test 'HarnessUnwarmed\.UnwarmedPathTests\.Unwarmed_path_fails_this_test'");
        failure.Should().Contain($"kernel ssd.chunk_scan key={SsdKey("f16", "f32", z: 0)} config=")
            .And.Contain("SsdOnTheModel.cs:").And.Contain("Add this path to the warmup plan");
        run.Trx[Unwarmed + ZRow].Message.Should().Contain($"ssd.chunk_scan key={SsdKey("f32", "f32", z: 1)}").And.NotContain("in=f16");
        run.Trx[Unwarmed + "Unwarmed_path_in_warn_mode_passes"].StdOut.Should().Contain(SsdKey("f32", "f16", z: 0)).And.Contain("gate mode is warn");
        run.Trx[Unwarmed + "Unwarmed_path_in_off_mode_passes"].StdOut.Should().NotContain("WarmGate");
        // A test case type from another extension is gated through the message bus.
        run.Trx[ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails"].Message.Should()
            .StartWith("WarmGate.Harness.WarmGateViolationException").And.Contain(SsdKey("f16", "f32", z: 1));

        // The compile that did not flow from any test fails the run, not a test.
        run.Trx.Outcome.Should().Be("Failed");
        run.Trx.RunInfos.Should().Contain(i => i.Outcome == "Error"
            && i.Text.Contains("outside any running test", StringComparison.Ordinal) && i.Text.Contains(SsdKey("f16", "f16", z: 1), StringComparison.Ordinal));

        var report = SampleWorkspace.ReadReport(workspace.DefaultReportDirectory, "HarnessUnwarmed");
        report.Verdict.Should().Be("failed");
        report.Events.Where(e => e.Phase == "Serving" && e.Kernel == "ssd.chunk_scan").Select(e => (e.Key, e.Verdict, e.Test))
            .Should().BeEquivalentTo(new (string, EventVerdict, string?)[]
            {
                (SsdKey("f16", "f32", z: 0), EventVerdict.FailedTest, Unwarmed + "Unwarmed_path_fails_this_test"),
                (SsdKey("f32", "f32", z: 1), EventVerdict.FailedTest, Unwarmed + ZRow),
                (SsdKey("f32", "f16", z: 0), EventVerdict.Warned, Unwarmed + "Unwarmed_path_in_warn_mode_passes"),
                (SsdKey("f16", "f16", z: 0), EventVerdict.Ignored, Unwarmed + "Unwarmed_path_in_off_mode_passes"),
                (SsdKey("f16", "f16", z: 1), EventVerdict.OutsideAnyTest, null),
                (SsdKey("f16", "f32", z: 1), EventVerdict.FailedTest, ThirdParty + "Third_party_test_case_on_an_unwarmed_path_fails"),
            });
        report.Events.Where(e => e.Phase == "Serving").Should().OnlyContain(e => e.Kind == "Compiled" && e.Kernel.StartsWith("ssd.", StringComparison.Ordinal));
        report.Summary.FailedTests.Should().Be(3);
        // The model's own warm paths are used by the tests that run them; fp32 SSD keys were warmed.
        report.WarmedKeys.Should().Contain(k => k.Kernel == "ssd.chunk_scan" && k.Key == SsdKey("f32", "f32", z: 0)
            && k.UsedBy!.Contains("HarnessUnwarmed.WarmPathTests.Warm_path_compiles_nothing"));
        report.Tables.Should().ContainSingle().Which.Origin.Should().Be("tuned at warmup");

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
        report.Events.Should().NotBeEmpty().And.OnlyContain(e => e.Phase == "WarmingUp");
        // No test continues a prefill from the cache: the SSD kernels warmed for it are never used.
        report.UsageObserved.Should().BeTrue();
        report.WarmedKeys.Where(k => k.NeverUsed).Select(k => (k.Kernel, k.Key.Contains("init=1", StringComparison.Ordinal)))
            .Should().BeEquivalentTo(new[] { ("conv1d.prefill", true), ("ssd.state_passing", true), ("ssd.chunk_scan", true) });
        report.WarmedKeys.Single(k => k.Kernel == "decode.state_update").UsedBy.Should().HaveCount(3);
        report.Tables.Should().ContainSingle().Which.Description.Should().Contain("tuned quick (first candidate only)");

        // A bad model named through WARMGATE_MODEL: every test that takes the fixture fails with the real cause.
        var model = workspace.BrokenModel();
        var broken = await workspace.TestAsync("HarnessClean", "clean-load-fails", build: false,
            new Dictionary<string, string> { ["WARMGATE_MODEL"] = model });
        broken.ExitCode.Should().NotBe(0);
        broken.Trx.Named("Passed").Should().Equal("HarnessClean.TestsWithoutTheFixture.Plain_tests_run_under_the_gate_too");
        var failed = broken.Trx.Tests.Where(t => t.Outcome == "Failed").ToList();
        failed.Should().HaveCount(3);
        failed.Should().OnlyContain(t => t.Message.StartsWith(
            $"WarmGate.Harness.WarmGateStartupException : Mamba2Fixture failed while loading '{model}', so no test that uses it can run: ModelFormatException: {Path.Combine(model, "config.json")}: ",
            StringComparison.Ordinal));

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
        run.Trx[offender].Message.Should().Contain($"kernel ssd.chunk_scan key={SsdKey("f16", "f32", z: 0)}").And.Contain($"in test '{offender}'");

        var report = SampleWorkspace.ReadReport(workspace.DefaultReportDirectory, "HarnessParallel");
        report.Events.Where(e => e.Phase == "Serving").Should().NotBeEmpty()
            .And.OnlyContain(e => e.Test == offender && e.Verdict == EventVerdict.FailedTest);
        report.Summary.OutsideAnyTest.Should().Be(0);
    }
}
