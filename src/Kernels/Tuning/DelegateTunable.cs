using ILGPU.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// An <see cref="ITunable"/> built from delegates at a kernel's call site: tuning re-runs the
/// call itself with each candidate, on the call's own (representative) data. Given a stream and
/// an enqueue delegate, the tuner measures device time; without them it times <c>run</c>.
/// </summary>
public sealed class DelegateTunable : ITunable
{
    private readonly Func<string, string?> whyNot;
    private readonly Action<string> run;
    private readonly Action<string>? enqueue;

    /// <summary>Creates the tunable.</summary>
    /// <param name="kernelId">The kernel id.</param>
    /// <param name="key">The tuning key.</param>
    /// <param name="kernelHash">The kernel version hash.</param>
    /// <param name="candidates">The candidate configs in declaration order.</param>
    /// <param name="whyNot">Why the device cannot run a config, or null when it can.</param>
    /// <param name="run">Runs a config once and waits for it.</param>
    /// <param name="stream">The stream <paramref name="enqueue"/> launches on, or null.</param>
    /// <param name="enqueue">Enqueues one run of a config on <paramref name="stream"/> without waiting, or null.</param>
    /// <exception cref="ArgumentException">Only one of <paramref name="stream"/> and <paramref name="enqueue"/> was given.</exception>
    public DelegateTunable(
        string kernelId,
        string key,
        string kernelHash,
        IReadOnlyList<string> candidates,
        Func<string, string?> whyNot,
        Action<string> run,
        AcceleratorStream? stream = null,
        Action<string>? enqueue = null)
    {
        ArgumentNullException.ThrowIfNull(kernelId);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(kernelHash);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(whyNot);
        ArgumentNullException.ThrowIfNull(run);
        if ((stream is null) != (enqueue is null))
            throw new ArgumentException(
                $"{kernelId} [{key}]: give both a stream and an enqueue delegate, or neither.",
                stream is null ? nameof(stream) : nameof(enqueue));
        KernelId = kernelId;
        Key = key;
        KernelHash = kernelHash;
        Candidates = candidates;
        Stream = stream;
        this.whyNot = whyNot;
        this.run = run;
        this.enqueue = enqueue;
    }

    /// <inheritdoc/>
    public string KernelId { get; }

    /// <inheritdoc/>
    public string Key { get; }

    /// <inheritdoc/>
    public string KernelHash { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Candidates { get; }

    /// <inheritdoc/>
    public AcceleratorStream? Stream { get; }

    /// <inheritdoc/>
    public bool CanRun(string config, out string reason)
    {
        reason = whyNot(config) ?? string.Empty;
        return reason.Length == 0;
    }

    /// <inheritdoc/>
    public void Run(string config) => run(config);

    /// <inheritdoc/>
    public void Enqueue(string config)
    {
        if (enqueue is null)
            throw new NotSupportedException($"{KernelId} [{Key}] was built without an enqueue delegate; the tuner must call Run.");
        enqueue(config);
    }
}
