using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>The outcome of tuning one kernel for one key, as stored in tuning tables.</summary>
/// <param name="Kernel">The kernel id.</param>
/// <param name="KernelHash">The kernel's version hash when it was tuned.</param>
/// <param name="Key">The tuning key.</param>
/// <param name="Config">The chosen configuration.</param>
/// <param name="Milliseconds">The chosen configuration's median time.</param>
/// <param name="Candidates">Every candidate's time (NaN when pruned, failed or skipped).</param>
public sealed record TunedChoice(
    string Kernel,
    string KernelHash,
    string Key,
    string Config,
    double Milliseconds,
    IReadOnlyList<CandidateTiming> Candidates);

/// <summary>Where the autotuner looks for configurations chosen earlier (tuning tables).</summary>
public interface ITuningSource
{
    /// <summary>Finds the stored choice for a kernel and key.</summary>
    /// <param name="kernel">The kernel id.</param>
    /// <param name="key">The tuning key.</param>
    /// <param name="choice">The stored choice.</param>
    /// <param name="source">Where it came from (file or resource name), for events.</param>
    bool TryGet(string kernel, string key, out TunedChoice choice, out string source);
}
