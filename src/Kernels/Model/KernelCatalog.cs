using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Model;

/// <summary>
/// The tunable kernels of the Mamba2 model and their version hashes: what a tuning table entry
/// is checked against before it is used.
/// </summary>
public static class KernelCatalog
{
    /// <summary>The id of the SSD prefill (its five stages share one configuration).</summary>
    public const string SsdPrefill = SsdPrefillTunable.KernelId;

    /// <summary>The version hash of the SSD prefill kernels and their configuration space.</summary>
    public static string SsdPrefillHash => SsdPrefillTunable.VersionHash;

    /// <summary>Every tunable kernel id with its current version hash.</summary>
    public static IReadOnlyDictionary<string, string> Hashes => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SsdPrefill] = SsdPrefillHash,
        [Linear.KernelId] = Linear.VersionHash,
    };

    /// <summary>A table matcher for the registry's device, this ILGPU and these kernels.</summary>
    public static TableMatcher Matcher(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new TableMatcher(registry.Device, TuningVersions.Ilgpu, Hashes, registry.Name);
    }
}
