using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

/// <summary>A clock that moves only when told (the tuner's budget is checked against it).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>
/// A timer that answers each config from a script: the first answer for the first call, then
/// the next ones in turn (the last repeats). Every call is recorded in order, runs the candidate
/// once and advances the clock by <see cref="CostPerCall"/>.
/// </summary>
internal sealed class ScriptedTimer(ManualClock clock, Dictionary<string, double[]> script) : ICandidateTimer
{
    private readonly Dictionary<string, int> calls = [];

    public TimeSpan CostPerCall { get; init; } = TimeSpan.FromMilliseconds(1);

    public List<(string Config, int Warmups, int Repetitions, bool Enqueued)> Calls { get; } = [];

    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions) =>
        Answer(new CandidateRun(config, run), warmups, repetitions);

    public double MedianMilliseconds(CandidateRun candidate, int warmups, int repetitions) =>
        Answer(candidate, warmups, repetitions);

    private double Answer(CandidateRun candidate, int warmups, int repetitions)
    {
        var enqueued = candidate.Enqueue is not null;
        Calls.Add((candidate.Config, warmups, repetitions, enqueued));
        if (enqueued)
        {
            candidate.Enqueue!();
            candidate.Stream!.Synchronize();
        }
        else
        {
            candidate.Run();
        }
        clock.Advance(CostPerCall);
        var answers = script[candidate.Config];
        var n = calls.GetValueOrDefault(candidate.Config);
        calls[candidate.Config] = n + 1;
        return answers[Math.Min(n, answers.Length - 1)];
    }
}
