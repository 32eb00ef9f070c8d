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
    /// with the given config on representative data and wait for it).
    /// </summary>
    public static ITunable For(SsdShape shape, SsdOptions options, bool cuda, int maxThreadsPerGroup, Action<SsdPrefillConfig> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new DelegateTunable(
            KernelId, SsdKey.Of(shape, options), VersionHash,
            SsdPrefillConfig.Candidates(cuda).Select(c => c.ToString()).ToArray(),
            text => SsdPrefillConfig.Parse(text).Fits(maxThreadsPerGroup) ? null : $"needs more than {maxThreadsPerGroup} threads a group",
            text => run(SsdPrefillConfig.Parse(text)));
    }
}
