using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class GateSessionTests
{
    private readonly GateSession session = new();

    [Fact]
    public void A_compile_after_load_in_a_tests_scope_counts_against_that_test()
    {
        var gate = session.BeginTest("T1", GateMode.Error);
        var e = Events.CompiledHere();
        session.Record(e);
        gate.End().Should().Equal(e);
        session.Events.Should().ContainSingle().Which.Should().Match<RecordedEvent>(
            r => r.Verdict == EventVerdict.FailedTest && r.Test == "T1" && r.Sequence == 1);
        session.Unattributed.Should().BeEmpty();
    }

    [Fact]
    public async Task Concurrent_tests_get_only_their_own_events()
    {
        var bothRunning = new Barrier(2);
        var innocentMayEnd = new SemaphoreSlim(0);

        var offender = Task.Run(() =>
        {
            var gate = session.BeginTest("Offender", GateMode.Error);
            bothRunning.SignalAndWait(TimeSpan.FromSeconds(10)).Should().BeTrue();
            session.Record(Events.CompiledHere(key: "offending"));
            innocentMayEnd.Release();
            return gate.End();
        });
        var innocent = Task.Run(async () =>
        {
            var gate = session.BeginTest("Innocent", GateMode.Error);
            bothRunning.SignalAndWait(TimeSpan.FromSeconds(10)).Should().BeTrue();
            (await innocentMayEnd.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            session.Record(Events.Compiled(phase: KernelPhase.Serving, scope: KernelScope.Current) with { Kind = KernelEventKind.Tuned });
            return gate.End();
        });

        (await offender).Should().ContainSingle().Which.Key.Should().Be("offending");
        (await innocent).Should().BeEmpty();
        session.Events.Single(r => r.Event.Key == "offending").Test.Should().Be("Offender");
    }

    [Fact]
    public async Task Work_the_test_awaits_carries_its_scope()
    {
        var gate = session.BeginTest("Async", GateMode.Error);
        await Task.Run(async () =>
        {
            await Task.Yield();
            session.Record(Events.CompiledHere());
        });
        gate.End().Should().ContainSingle();
    }

    [Fact]
    public void A_kernel_scope_entered_inside_a_test_still_counts_against_the_test()
    {
        var gate = session.BeginTest("Outer", GateMode.Error);
        using (KernelScope.Enter("request-17"))
            session.Record(Events.CompiledHere());
        gate.End().Should().ContainSingle();
        session.Events.Single().Test.Should().Be("Outer");
    }

    [Fact]
    public void Events_outside_any_test_and_after_a_test_ended_are_unattributed()
    {
        session.Record(Events.Compiled(scope: null, key: "nowhere"));
        var gate = session.BeginTest("Short", GateMode.Error);
        var scope = gate.Scope;
        gate.End().Should().BeEmpty();
        session.Record(Events.Compiled(scope: scope, key: "late"));

        session.Unattributed.Select(r => (r.Event.Key, r.Note)).Should().Equal(
            ("nowhere", ""),
            ("late", "after test 'Short' ended"));
        session.Events.Should().OnlyContain(r => r.Verdict == EventVerdict.OutsideAnyTest);
    }

    [Theory]
    [InlineData(KernelEventKind.Compiled, KernelPhase.Loading)]
    [InlineData(KernelEventKind.TuneStarted, KernelPhase.WarmingUp)]
    [InlineData(KernelEventKind.Tuned, KernelPhase.Serving)]
    [InlineData(KernelEventKind.TableEntryRejected, KernelPhase.Serving)]
    public void Only_compiles_and_tuning_runs_while_serving_count(KernelEventKind kind, KernelPhase phase)
    {
        var gate = session.BeginTest("T", GateMode.Error);
        session.Record(Events.Of(kind, phase, KernelScope.Current));
        gate.End().Should().BeEmpty();
        session.Events.Single().Verdict.Should().Be(EventVerdict.Allowed);
        session.Unattributed.Should().BeEmpty();
    }

    [Fact]
    public void A_tuning_run_while_serving_counts()
    {
        var gate = session.BeginTest("T", GateMode.Error);
        session.Record(Events.Of(KernelEventKind.TuneStarted, KernelPhase.Serving, KernelScope.Current));
        gate.End().Should().ContainSingle().Which.Kind.Should().Be(KernelEventKind.TuneStarted);
    }

    [Fact]
    public void Warn_mode_reports_and_off_mode_only_records()
    {
        var warned = session.BeginTest("Warned", GateMode.Warn);
        session.Record(Events.CompiledHere());
        warned.End().Should().ContainSingle();

        var off = session.BeginTest("Off", GateMode.Off);
        session.Record(Events.CompiledHere());
        off.End().Should().BeEmpty();

        session.Events.Select(r => r.Verdict).Should().Equal(EventVerdict.Warned, EventVerdict.Ignored);
    }

    [Fact]
    public void Tests_with_the_same_display_name_get_distinct_scopes()
    {
        var first = session.BeginTest("Same", GateMode.Error);
        first.End();
        var second = session.BeginTest("Same", GateMode.Error);
        second.Scope.Should().Be("Same #2");
        session.Record(Events.CompiledHere());
        second.End().Should().ContainSingle();
        first.Violations.Should().BeEmpty();
    }

    [Fact]
    public void Ending_a_test_restores_the_previous_scope_and_is_idempotent()
    {
        using (KernelScope.Enter("outer"))
        {
            var gate = session.BeginTest("T", GateMode.Error);
            KernelScope.Current.Should().Be("T");
            session.Record(Events.CompiledHere());
            gate.End().Should().ContainSingle();
            gate.End().Should().BeEmpty();
            gate.HasEnded.Should().BeTrue();
            KernelScope.Current.Should().Be("outer");
        }
    }

    [Fact]
    public void Taking_violations_returns_each_event_once()
    {
        var gate = session.BeginTest("T", GateMode.Error);
        session.Record(Events.CompiledHere(key: "a"));
        gate.TakeViolations().Select(e => e.Key).Should().Equal("a");
        session.Record(Events.CompiledHere(key: "b"));
        gate.End().Select(e => e.Key).Should().Equal("b");
        gate.Violations.Select(e => e.Key).Should().Equal("a", "b");
    }

    [Fact]
    public void Events_a_runner_could_not_report_fail_the_run()
    {
        var gate = session.BeginTest("T", GateMode.Error);
        session.Record(Events.CompiledHere());
        var leftovers = gate.End();
        session.AddUnreported("T", leftovers);
        session.Unattributed.Should().ContainSingle().Which.Note.Should().Contain("after its result was reported");
    }

    [Fact]
    public void Listening_records_published_events_until_disposed()
    {
        var runtime = "listen-" + Guid.NewGuid().ToString("N");
        using (session.Listen())
            KernelEvents.Publish(Events.Compiled(runtime: runtime, phase: KernelPhase.Loading));
        KernelEvents.Publish(Events.Compiled(runtime: runtime, phase: KernelPhase.Loading));
        session.Events.Count(r => r.Event.Runtime == runtime).Should().Be(1);
    }

    [Fact]
    public void Uses_are_attributed_to_the_running_test()
    {
        var gate = session.BeginTest("User", GateMode.Error);
        session.RecordUse("rt", "k", "key", "cfg", KernelScope.Current);
        gate.End();
        session.RecordUse("rt", "k", "key", "cfg", scope: null);
        session.UsageObserved.Should().BeTrue();
        session.Uses.Should().ContainSingle().Which.Should().BeEquivalentTo(new RecordedUse(new WarmedKey("rt", "k", "key", "cfg"), ["User"]));
    }

    [Fact]
    public void Usage_is_observed_once_the_session_listens_even_before_any_launch()
    {
        session.UsageObserved.Should().BeFalse();
        using (session.Listen())
            session.UsageObserved.Should().BeTrue();
        session.Uses.Should().BeEmpty();
    }

    [Fact]
    public async Task Listening_records_launches_of_compiled_kernels_in_the_test_that_made_them()
    {
        using var listening = session.Listen();
        await using var target = new FakeTarget(warmFactors: [1], name: "uses-" + Guid.NewGuid().ToString("N"));
        await target.LoadAsync();
        await target.WarmupAsync();
        target.Registry.EnterPhase(KernelPhase.Serving);

        var gate = session.BeginTest("Launcher", GateMode.Error);
        (await Task.Run(() => target.Scale(1, [3f]))).Should().Equal(3f);
        gate.End();
        target.Scale(1, [1f]);

        session.Uses.Where(u => u.Launch.Runtime == target.Name).Should().ContainSingle().Which.Should().BeEquivalentTo(
            new RecordedUse(new WarmedKey(target.Name, FakeTarget.KernelId, "factor=1", "group=16"), ["Launcher"]));
    }

    [Fact]
    public async Task A_real_compile_after_warmup_is_attributed_to_the_test()
    {
        using var listening = session.Listen();
        await using var target = new FakeTarget(warmFactors: [1], name: "session-" + Guid.NewGuid().ToString("N"));
        await target.LoadAsync();
        target.Registry.EnterPhase(KernelPhase.WarmingUp);
        await target.WarmupAsync();
        target.Registry.EnterPhase(KernelPhase.Serving);

        var warm = session.BeginTest("Warm", GateMode.Error);
        target.Scale(1, [2f]).Should().Equal(2f);
        warm.End().Should().BeEmpty();

        var cold = session.BeginTest("Cold", GateMode.Error);
        (await Task.Run(() => target.Scale(2, [2f]))).Should().Equal(4f);
        var violation = cold.End().Should().ContainSingle().Subject;
        violation.Kernel.Should().Be(FakeTarget.KernelId);
        violation.Key.Should().Be("factor=2");
        violation.Scope.Should().Be("Cold");
        session.Events.Where(r => r.Event.Runtime == target.Name).Select(r => (r.Event.Phase, r.Verdict)).Should().Equal(
            (KernelPhase.WarmingUp, EventVerdict.Allowed),
            (KernelPhase.Serving, EventVerdict.FailedTest));
    }
}
