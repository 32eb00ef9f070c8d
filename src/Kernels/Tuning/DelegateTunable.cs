namespace WarmGate.Kernels.Tuning;

/// <summary>
/// An <see cref="ITunable"/> built from delegates at a kernel's call site: tuning re-runs the
/// call itself with each candidate, on the call's own (representative) data.
/// </summary>
public sealed class DelegateTunable(
    string kernelId,
    string key,
    string kernelHash,
    IReadOnlyList<string> candidates,
    Func<string, string?> whyNot,
    Action<string> run) : ITunable
{
    /// <inheritdoc/>
    public string KernelId => kernelId;

    /// <inheritdoc/>
    public string Key => key;

    /// <inheritdoc/>
    public string KernelHash => kernelHash;

    /// <inheritdoc/>
    public IReadOnlyList<string> Candidates => candidates;

    /// <inheritdoc/>
    public bool CanRun(string config, out string reason)
    {
        reason = whyNot(config) ?? string.Empty;
        return reason.Length == 0;
    }

    /// <inheritdoc/>
    public void Run(string config) => run(config);
}
