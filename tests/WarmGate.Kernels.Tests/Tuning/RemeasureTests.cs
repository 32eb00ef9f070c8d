using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

/// <summary>
/// The second pass of tuning: the fastest few candidates of the first pass are re-measured one
/// run each, interleaved, and the lowest median wins. Deterministic: scripted times, a manual clock.
/// </summary>
public sealed class RemeasureTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly KernelRegistry registry;
    private readonly ManualClock clock = new();

    public RemeasureTests() =>
        registry = new KernelRegistry(device.Accelerator, "remeasure-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        registry.Dispose();
        device.Dispose();
    }

    private (Autotuner Tuner, ScriptedTimer Timer) Tuner(
        Dictionary<string, double[]> script, int rounds = 3, int finalists = 3, TimeSpan? budget = null)
    {
        var timer = new ScriptedTimer(clock, script);
        var options = new TunerOptions(2, 5, budget ?? TimeSpan.FromMinutes(1), finalists, rounds);
        return (new Autotuner(registry, timer, options, clock), timer);
    }

    [Fact]
    public void A_lucky_first_pass_loses_when_the_finalists_are_measured_again()
    {
        // a's first pass was noise; re-measured, b is the fastest. d is too slow to be a finalist.
        var (tuner, timer) = Tuner(new()
        {
            ["a"] = [1.0, 1.5, 1.6, 1.4],
            ["b"] = [1.2, 1.0, 1.1, 0.9],
            ["c"] = [1.1, 1.3, 1.3, 1.3],
            ["d"] = [5.0],
        });
        var entry = tuner.Tune(new FakeTunable("k", "a", "b", "c", "d"));

        entry.Config.Should().Be("b");
        entry.Milliseconds.Should().Be(1.0, "the median of b's re-measured 1.0, 1.1, 0.9");
        timer.Calls.Select(c => c.Config).Should().Equal(
            ["a", "b", "c", "d", "a", "b", "c", "a", "b", "c", "a", "b", "c"],
            "the first pass times each candidate once, then three interleaved rounds of the three finalists");
        timer.Calls.Take(4).Should().OnlyContain(c => c.Warmups == 2 && c.Repetitions == 5);
        timer.Calls.Skip(4).Should().OnlyContain(c => c.Warmups == 0 && c.Repetitions == 1);
    }

    [Fact]
    public void Several_runs_a_round_time_each_finalist_back_to_back_after_one_untimed_run()
    {
        var timer = new ScriptedTimer(clock, new()
        {
            ["a"] = [1.0, 1.5, 1.4],
            ["b"] = [1.2, 1.0, 0.9],
        });
        var options = new TunerOptions(2, 5, TimeSpan.FromMinutes(1), Finalists: 2, RemeasureRounds: 2, RemeasureRuns: 7);
        var entry = new Autotuner(registry, timer, options, clock).Tune(new FakeTunable("k", "a", "b"));

        entry.Config.Should().Be("b", "b's rounds (1.0, 0.9) beat a's (1.5, 1.4)");
        timer.Calls.Skip(2).Should().HaveCount(4)
            .And.OnlyContain(c => c.Warmups == 1 && c.Repetitions == 7, "each round is one untimed run, then 7 timed");
    }

    [Fact]
    public void Every_finalist_reports_its_re_measured_median_and_the_others_keep_their_first_pass()
    {
        var (tuner, _) = Tuner(new()
        {
            ["a"] = [1.0, 1.5], ["b"] = [1.2, 1.0], ["c"] = [3.0], ["d"] = [5.0],
        }, finalists: 2);
        var entry = tuner.Tune(new FakeTunable("k", "a", "b", "c", "d"));

        entry.Config.Should().Be("b");
        entry.Candidates.Select(c => c.Milliseconds).Should().Equal(1.5, 1.0, 3.0, 5.0);
        entry.Milliseconds.Should().Be(entry.Candidates[1].Milliseconds, "the chosen config's listed time is the one that decided");
        entry.Candidates[0].Note.Should().Be("re-measured: median of 3 interleaved runs; first pass 1 ms");
        entry.Candidates[1].Note.Should().Be("re-measured: median of 3 interleaved runs; first pass 1.2 ms");
        entry.Candidates[2].Note.Should().BeEmpty();
        entry.Candidates[3].Note.Should().BeEmpty();
    }

    [Fact]
    public void A_tie_in_the_re_measure_goes_to_the_candidate_declared_first()
    {
        // c wins the first pass, but a and c tie when re-measured: a is declared first.
        var (tuner, _) = Tuner(new() { ["a"] = [1.2, 1.0], ["b"] = [1.5, 2.0], ["c"] = [1.1, 1.0] });
        tuner.Tune(new FakeTunable("k", "a", "b", "c")).Config.Should().Be("a");

        var (reversed, _) = Tuner(new() { ["a"] = [1.2, 1.0], ["b"] = [1.5, 2.0], ["c"] = [1.1, 1.0] });
        reversed.Tune(new FakeTunable("k2", "c", "b", "a")).Config.Should().Be("c");
    }

    [Fact]
    public void Finalists_that_tie_in_the_first_pass_are_taken_in_declaration_order()
    {
        var (tuner, timer) = Tuner(new() { ["a"] = [2.0], ["b"] = [1.0], ["c"] = [1.0], ["d"] = [1.0] }, rounds: 1, finalists: 2);
        tuner.Tune(new FakeTunable("k", "a", "b", "c", "d")).Config.Should().Be("b");
        timer.Calls.Skip(4).Select(c => c.Config).Should().Equal("b", "c");
    }

    [Fact]
    public void A_spent_budget_stops_the_re_measure_after_a_whole_round()
    {
        // Each call costs 1 ms of the 4.5 ms budget: the first pass ends at 3 ms, one round runs (to 6 ms), no second.
        var (tuner, timer) = Tuner(new()
        {
            ["a"] = [1.0, 2.0, 0.1], ["b"] = [1.1, 1.0, 5.0], ["c"] = [1.2, 3.0, 0.1],
        }, rounds: 5, budget: TimeSpan.FromMilliseconds(4.5));
        var entry = tuner.Tune(new FakeTunable("k", "a", "b", "c"));

        timer.Calls.Should().HaveCount(6);
        entry.Config.Should().Be("b", "the one round that ran measured b fastest");
        entry.Candidates[1].Note.Should().Contain("of 1 interleaved runs");
    }

    [Fact]
    public void A_budget_spent_in_the_first_pass_means_no_re_measure()
    {
        var (tuner, timer) = Tuner(new() { ["a"] = [1.0, 9.0], ["b"] = [1.1, 0.1], ["c"] = [1.2, 0.1] },
            budget: TimeSpan.FromMilliseconds(2.5));
        var entry = tuner.Tune(new FakeTunable("k", "a", "b", "c"));

        timer.Calls.Select(c => c.Config).Should().Equal("a", "b", "c");
        entry.Config.Should().Be("a");
        entry.Milliseconds.Should().Be(1.0);
    }

    [Fact]
    public void With_the_re_measure_off_or_one_finalist_the_first_pass_decides()
    {
        var script = new Dictionary<string, double[]> { ["a"] = [1.0, 9.0], ["b"] = [1.1, 0.1] };
        var (off, offTimer) = Tuner(script, rounds: 0);
        off.Tune(new FakeTunable("k", "a", "b")).Config.Should().Be("a");
        offTimer.Calls.Should().HaveCount(2);

        var (single, singleTimer) = Tuner(script, finalists: 1);
        single.Tune(new FakeTunable("k", "a", "b")).Config.Should().Be("a");
        singleTimer.Calls.Should().HaveCount(2);
    }

    [Fact]
    public void A_finalist_that_fails_when_re_measured_is_out_and_noted()
    {
        var op = new FlakyTunable("a", "b", "c") { FailFromRun = new() { ["a"] = 2 } };
        var (tuner, _) = Tuner(new() { ["a"] = [1.0, 0.1], ["b"] = [1.1, 1.0], ["c"] = [1.2, 2.0] });
        var entry = tuner.Tune(op);

        entry.Config.Should().Be("b");
        entry.Candidates[0].Note.Should().StartWith("failed on re-measure:").And.Contain("launch failed");
    }

    [Fact]
    public void When_every_finalist_fails_the_re_measure_tuning_fails_with_the_reasons()
    {
        var op = new FlakyTunable("a", "b") { FailFromRun = new() { ["a"] = 2, ["b"] = 2 } };
        var (tuner, _) = Tuner(new() { ["a"] = [1.0], ["b"] = [1.1] });
        var act = () => tuner.Tune(op);
        act.Should().Throw<TuningException>().WithMessage("*no candidate could run*a: failed on re-measure*b: failed on re-measure*");
    }

    [Fact]
    public void When_every_finalist_fails_the_re_measure_the_fastest_other_candidate_wins()
    {
        var op = new FlakyTunable("a", "b", "c") { FailFromRun = new() { ["a"] = 2, ["b"] = 2 } };
        var (tuner, _) = Tuner(new() { ["a"] = [1.0], ["b"] = [1.1], ["c"] = [1.5] }, finalists: 2);
        var entry = tuner.Tune(op);

        entry.Config.Should().Be("c", "c ran in the first pass and was never re-measured");
        entry.Candidates.Take(2).Should().OnlyContain(t => double.IsNaN(t.Milliseconds) && t.Note!.StartsWith("failed on re-measure:"));
    }

    [Theory]
    [InlineData(0, 3, 1, "Repetitions")]
    [InlineData(2, 0, 1, "Finalists")]
    [InlineData(2, 3, 0, "RemeasureRuns")]
    public void Options_out_of_range_are_refused_when_the_tuner_is_made(int repetitions, int finalists, int runs, string name)
    {
        var make = () => new Autotuner(registry, options: new TunerOptions(1, repetitions, TimeSpan.FromSeconds(1), finalists, 2, runs));
        make.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }

    [Fact]
    public void Tuned_events_carry_the_re_measured_choice()
    {
        var events = new List<KernelEvent>();
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == registry.Name) lock (events) events.Add(e);
        });
        var (tuner, _) = Tuner(new() { ["a"] = [1.0, 2.0], ["b"] = [1.1, 1.0] });
        tuner.Resolve(new FakeTunable("k", "a", "b")).Should().Be("b");
        var tuned = events.Should().ContainSingle(e => e.Kind == KernelEventKind.Tuned).Subject;
        tuned.Config.Should().Be("b");
        tuned.Detail.Should().Be("1.000 ms");
    }

    /// <summary>A tunable whose runs of a config start failing from its n-th run (1-based).</summary>
    private sealed class FlakyTunable(params string[] candidates) : ITunable
    {
        private readonly Dictionary<string, int> runs = [];

        public Dictionary<string, int> FailFromRun { get; init; } = [];

        public string KernelId => "fake.flaky";

        public string Key => "k";

        public string KernelHash => "hash-1";

        public IReadOnlyList<string> Candidates => candidates;

        public bool CanRun(string config, out string reason)
        {
            reason = string.Empty;
            return true;
        }

        public void Run(string config)
        {
            var n = runs.GetValueOrDefault(config) + 1;
            runs[config] = n;
            if (FailFromRun.TryGetValue(config, out var from) && n >= from)
                throw new InvalidOperationException("kernel launch failed");
        }
    }
}
