using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

public sealed class AutotunerTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly KernelRegistry registry;
    private readonly List<KernelEvent> events = [];
    private readonly IDisposable subscription;

    public AutotunerTests()
    {
        registry = new KernelRegistry(device.Accelerator, "autotuner-test-" + Guid.NewGuid().ToString("N"));
        subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == registry.Name)
                lock (events) events.Add(e);
        });
    }

    public void Dispose()
    {
        subscription.Dispose();
        registry.Dispose();
        device.Dispose();
    }

    private Autotuner Tuner(Dictionary<string, double> times, TimeSpan? budget = null) =>
        new(registry, new TableTimer(times), new TunerOptions(1, 3, budget ?? TimeSpan.FromMinutes(1)));

    [Fact]
    public void The_fastest_candidate_wins()
    {
        var tuner = Tuner(new() { ["a"] = 3, ["b"] = 1, ["c"] = 2 });
        tuner.Resolve(new FakeTunable("k", "a", "b", "c")).Should().Be("b");
    }

    [Fact]
    public void Ties_go_to_the_candidate_declared_first()
    {
        var tuner = Tuner(new() { ["a"] = 2, ["b"] = 1, ["c"] = 1 });
        tuner.Resolve(new FakeTunable("k", "a", "b", "c")).Should().Be("b");
        var reversed = Tuner(new() { ["a"] = 2, ["b"] = 1, ["c"] = 1 });
        reversed.Resolve(new FakeTunable("k2", "c", "b", "a")).Should().Be("c");
    }

    [Fact]
    public void Tuning_emits_started_and_tuned_events_with_every_candidates_time()
    {
        registry.EnterPhase(KernelPhase.WarmingUp);
        var op = new FakeTunable("k", "a", "b", "c");
        op.Unrunnable.Add("c");
        Tuner(new() { ["a"] = 3, ["b"] = 1 }).Resolve(op);

        events.Select(e => e.Kind).Should().Equal(KernelEventKind.TuneStarted, KernelEventKind.Tuned);
        events.Should().OnlyContain(e => e.Phase == KernelPhase.WarmingUp && e.Kernel == "fake.kernel" && e.Key == "k");
        var tuned = events[1];
        tuned.Config.Should().Be("b");
        tuned.Candidates.Select(c => c.Config).Should().Equal("a", "b", "c");
        tuned.Candidates[0].Milliseconds.Should().Be(3);
        tuned.Candidates[2].Milliseconds.Should().Be(double.NaN);
        tuned.Candidates[2].Note.Should().StartWith("pruned:").And.Contain("shared memory");
        events[0].CallSite.Should().Contain(nameof(AutotunerTests));
    }

    [Fact]
    public void Pruned_candidates_are_never_run()
    {
        var op = new FakeTunable("k", "a", "b");
        op.Unrunnable.Add("a");
        Tuner(new() { ["b"] = 1 }).Resolve(op).Should().Be("b");
        op.Runs.Should().NotContain("a");
    }

    [Fact]
    public void A_crashing_candidate_is_noted_and_the_rest_still_tune()
    {
        var op = new FakeTunable("k", "a", "b");
        op.Crashing.Add("a");
        var tuner = Tuner(new() { ["a"] = 0.1, ["b"] = 5 });
        tuner.Resolve(op).Should().Be("b");
        tuner.Tuned.Should().ContainSingle().Which.Candidates[0].Note.Should().Contain("kernel launch failed");
    }

    [Fact]
    public void When_no_candidate_can_run_the_error_lists_each_reason()
    {
        var op = new FakeTunable("k", "a", "b");
        op.Crashing.Add("a");
        op.Unrunnable.Add("b");
        var act = () => Tuner(new() { ["a"] = 1 }).Resolve(op);
        act.Should().Throw<TuningException>()
            .WithMessage("*fake.kernel*key k*a: failed*kernel launch failed*b: pruned*");
    }

    [Fact]
    public void A_spent_budget_skips_the_remaining_candidates()
    {
        var tuner = Tuner(new() { ["a"] = 1, ["b"] = 0.5 }, budget: TimeSpan.Zero);
        tuner.Resolve(new FakeTunable("k", "a", "b")).Should().Be("a");
        tuner.Tuned[0].Candidates[1].Note.Should().Contain("budget");
    }

    [Fact]
    public void A_resolved_key_is_not_tuned_again()
    {
        var op = new FakeTunable("k", "a", "b");
        var tuner = Tuner(new() { ["a"] = 1, ["b"] = 2 });
        tuner.Resolve(op);
        tuner.Resolve(op);
        events.Count(e => e.Kind == KernelEventKind.TuneStarted).Should().Be(1);
        tuner.IsResolved("fake.kernel", "k").Should().BeTrue();
    }

    [Fact]
    public void A_valid_table_entry_is_used_without_tuning()
    {
        var tuner = Tuner(new() { ["a"] = 1, ["b"] = 2 });
        tuner.AddSource(new FixedSource(new TuningEntry("fake.kernel", "hash-1", "k", "b", 2, [])));
        var op = new FakeTunable("k", "a", "b");
        tuner.Resolve(op).Should().Be("b");
        events.Should().BeEmpty();
        op.Runs.Should().BeEmpty();
    }

    [Theory]
    [InlineData("hash-OLD", "b", "kernel-hash")]
    [InlineData("hash-1", "zzz", "unknown-config")]
    [InlineData("hash-1", "c", "cannot-run")]
    public void An_unusable_table_entry_is_rejected_with_its_reason_and_the_key_is_tuned(
        string hash, string config, string reason)
    {
        var tuner = Tuner(new() { ["a"] = 1, ["b"] = 2 });
        tuner.AddSource(new FixedSource(new TuningEntry("fake.kernel", hash, "k", config, 2, []), "my-table.json"));
        var op = new FakeTunable("k", "a", "b", "c");
        op.Unrunnable.Add("c");
        tuner.Resolve(op).Should().Be("a");
        var rejected = events.Should().ContainSingle(e => e.Kind == KernelEventKind.TableEntryRejected).Subject;
        rejected.Detail.Should().StartWith(reason).And.Contain("my-table.json");
        rejected.Config.Should().Be(config);
        events.Should().Contain(e => e.Kind == KernelEventKind.Tuned);
    }

    [Fact]
    public void Many_threads_resolving_the_same_new_key_tune_it_once()
    {
        var op = new FakeTunable("k", "a", "b");
        var tuner = Tuner(new() { ["a"] = 1, ["b"] = 2 });
        var results = new string[32];
        Parallel.For(0, results.Length, i => results[i] = tuner.Resolve(op));
        results.Should().OnlyContain(r => r == "a");
        events.Count(e => e.Kind == KernelEventKind.TuneStarted).Should().Be(1);
        events.Count(e => e.Kind == KernelEventKind.Tuned).Should().Be(1);
        op.Runs.Should().HaveCount(2);
    }

    [Fact]
    public void The_stopwatch_timer_runs_warmups_then_repetitions()
    {
        var runs = 0;
        var ms = new StopwatchTimer().MedianMilliseconds("x", () => runs++, warmups: 2, repetitions: 5);
        runs.Should().Be(7);
        ms.Should().BeGreaterThanOrEqualTo(0);
    }
}
