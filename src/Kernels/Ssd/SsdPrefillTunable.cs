using ILGPU.Runtime;
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
    /// with the given config on representative data and wait for it). The tuner times these
    /// synchronous runs by wall clock; prefer the overload with a stream. Candidates the device
    /// cannot run are pruned (<see cref="SsdPrefillConfig.WhyNotRun"/>): groups too large, and
    /// tensor-core configs off CUDA.
    /// </summary>
    public static ITunable For(SsdShape shape, SsdOptions options, bool cuda, int maxThreadsPerGroup, Action<SsdPrefillConfig> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        return Create(shape, options, cuda, maxThreadsPerGroup, text => run(SsdPrefillConfig.Parse(text)), null, null);
    }

    /// <summary>
    /// A tunable for one key whose runs call <paramref name="enqueue"/>, which must enqueue the
    /// prefill with the given config on representative data on <paramref name="stream"/> without
    /// waiting (the data must stay valid until the stream is synchronised). The tuner then measures
    /// device time on a CUDA device; a synchronous run is the enqueue followed by a stream synchronise.
    /// </summary>
    public static ITunable For(
        SsdShape shape, SsdOptions options, bool cuda, int maxThreadsPerGroup,
        AcceleratorStream stream, Action<SsdPrefillConfig> enqueue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(enqueue);
        return Create(
            shape, options, cuda, maxThreadsPerGroup,
            text =>
            {
                enqueue(SsdPrefillConfig.Parse(text));
                stream.Synchronize();
            },
            stream,
            text => enqueue(SsdPrefillConfig.Parse(text)));
    }

    private static DelegateTunable Create(
        SsdShape shape, SsdOptions options, bool cuda, int maxThreadsPerGroup,
        Action<string> run, AcceleratorStream? stream, Action<string>? enqueue) =>
        new(
            KernelId, SsdKey.Of(shape, options), VersionHash,
            SsdPrefillConfig.Candidates(cuda).Select(c => c.ToString()).ToArray(),
            text => SsdPrefillConfig.Parse(text).WhyNotRun(cuda, maxThreadsPerGroup),
            run, stream, enqueue);
}
