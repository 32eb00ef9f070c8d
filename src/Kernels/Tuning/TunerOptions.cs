namespace WarmGate.Kernels.Tuning;

/// <summary>How hard the autotuner measures.</summary>
/// <param name="Warmups">Untimed runs of each candidate before timing (the first also compiles it).</param>
/// <param name="Repetitions">Timed runs of each candidate; the median counts.</param>
/// <param name="BudgetPerKey">
/// Time budget for one key: once spent, the remaining candidates are skipped (noted as such) and
/// no further re-measuring round starts; the first candidate is always measured.
/// </param>
/// <param name="Finalists">How many of the first pass's fastest candidates are re-measured.</param>
/// <param name="RemeasureRounds">
/// Rounds of the re-measure: each round times every finalist in declaration order (A, B, C, A,
/// B, C, ...; <paramref name="RemeasureRuns"/> runs each), and the finalist with the lowest median wins. 0 turns it off: the
/// first pass decides.
/// </param>
/// <param name="RemeasureRuns">
/// Timed runs of a finalist per round, back to back after one untimed run; the round's sample is
/// their median. 1 (the default) times a single run with no untimed run before it. More runs per
/// round measure a kernel of a few microseconds in the steady state a server sees, instead of the
/// first launch after another kernel.
/// </param>
public sealed record TunerOptions(
    int Warmups, int Repetitions, TimeSpan BudgetPerKey, int Finalists = 3, int RemeasureRounds = 0, int RemeasureRuns = 1)
{
    /// <summary>Throws unless every count is in range (at least one timed run, finalist and re-measured run; no negative warm-ups, rounds or budget).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range; the exception names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Warmups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Repetitions);
        ArgumentOutOfRangeException.ThrowIfLessThan(BudgetPerKey, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Finalists);
        ArgumentOutOfRangeException.ThrowIfNegative(RemeasureRounds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RemeasureRuns);
    }

    /// <summary>Defaults for a GPU: 3 warm-ups, 25 timed runs, 60 s a key, then 25 interleaved rounds of the best 3, 5 runs each.</summary>
    public static TunerOptions Gpu { get; } = new(3, 25, TimeSpan.FromSeconds(60), Finalists: 3, RemeasureRounds: 25, RemeasureRuns: 5);

    /// <summary>Defaults for the CPU accelerator: 1 warm-up, 3 timed runs, 20 s a key, no re-measure (the emulator's times mean little).</summary>
    public static TunerOptions Cpu { get; } = new(1, 3, TimeSpan.FromSeconds(20));
}
