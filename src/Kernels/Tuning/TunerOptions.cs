namespace WarmGate.Kernels.Tuning;

/// <summary>How hard the autotuner measures.</summary>
/// <param name="Warmups">Untimed runs of each candidate before timing (the first also compiles it).</param>
/// <param name="Repetitions">Timed runs of each candidate; the median counts.</param>
/// <param name="BudgetPerKey">
/// Time budget for one key: once spent, the remaining candidates are skipped (noted as such);
/// the first candidate is always measured.
/// </param>
public sealed record TunerOptions(int Warmups, int Repetitions, TimeSpan BudgetPerKey)
{
    /// <summary>Defaults for a GPU: 3 warm-ups, 25 timed runs, 60 s a key.</summary>
    public static TunerOptions Gpu { get; } = new(3, 25, TimeSpan.FromSeconds(60));

    /// <summary>Defaults for the CPU accelerator: 1 warm-up, 3 timed runs, 20 s a key.</summary>
    public static TunerOptions Cpu { get; } = new(1, 3, TimeSpan.FromSeconds(20));
}
