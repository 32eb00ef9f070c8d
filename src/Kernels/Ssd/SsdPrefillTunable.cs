using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The SSD prefill as one tunable kernel: its five stages share one <see cref="SsdPrefillConfig"/>
/// (chunk size included), tuned per <see cref="SsdKey"/>.
/// </summary>
public static class SsdPrefillTunable
{
    /// <summary>The kernel id in events and tables.</summary>
    public const string KernelId = "ssd.prefill";

    private static readonly Lazy<string> Hash = new(() => KernelHash.Compute(
        typeof(SsdPrefill).Assembly.GetTypes().Where(t => t.Namespace == typeof(SsdPrefill).Namespace && t.Name.EndsWith("Kernel", StringComparison.Ordinal)),
        SsdPrefillConfig.Candidates(true).Concat(SsdPrefillConfig.Candidates(false)).Select(c => c.ToString())));

    /// <summary>The version hash of the five kernels and their configuration space.</summary>
    public static string VersionHash => Hash.Value;

    /// <summary>
    /// A tunable for one key whose runs call <paramref name="run"/> (which must enqueue the prefill
    /// with the given config on representative data and wait for it). Candidates the device cannot
    /// run are pruned (<see cref="SsdPrefillConfig.WhyNotRun"/>): groups too large, and tensor-core
    /// configs off CUDA or for fp32 inputs.
    /// </summary>
    public static ITunable For(SsdShape shape, SsdOptions options, bool cuda, int maxThreadsPerGroup, Action<SsdPrefillConfig> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        return new DelegateTunable(
            KernelId, SsdKey.Of(shape, options), VersionHash,
            SsdPrefillConfig.Candidates(cuda).Select(c => c.ToString()).ToArray(),
            text => SsdPrefillConfig.Parse(text).WhyNotRun(cuda, options.InputDtype, maxThreadsPerGroup),
            text => run(SsdPrefillConfig.Parse(text)));
    }
}
