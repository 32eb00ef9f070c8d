namespace WarmGate.Kernels.Runtime;

/// <summary>The measured time of one tuning candidate.</summary>
/// <param name="Config">The candidate configuration, e.g. <c>Q=64,BP=16</c>.</param>
/// <param name="Milliseconds">Median time in milliseconds; <see cref="double.NaN"/> when it was pruned or failed.</param>
/// <param name="Note">Why it was pruned or failed; empty when it ran.</param>
public sealed record CandidateTiming(string Config, double Milliseconds, string Note = "");

/// <summary>
/// One compile, tuning or table event. Every compilation and every tuning run WarmGate does is
/// reported as one of these, with the phase it happened in and the test (scope) it happened for.
/// </summary>
public sealed record KernelEvent
{
    /// <summary>What happened.</summary>
    public required KernelEventKind Kind { get; init; }

    /// <summary>The phase of the runtime the event happened in.</summary>
    public required KernelPhase Phase { get; init; }

    /// <summary>The kernel id, e.g. <c>ssd.chunk_scan</c>.</summary>
    public required string Kernel { get; init; }

    /// <summary>The tuning or compile key, e.g. <c>P=64,N=128,Q=256,G=1,T=f16,D=head</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The configuration compiled or chosen; empty when there is none.</summary>
    public string Config { get; init; } = string.Empty;

    /// <summary>How long the compile or tuning run took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The ambient scope (the running test, set by the harness), or null outside any scope.</summary>
    public string? Scope { get; init; }

    /// <summary>The first caller outside WarmGate.Kernels that caused the event, as <c>Type.Method (file:line)</c>.</summary>
    public string? CallSite { get; init; }

    /// <summary>The backend, e.g. <c>Cuda</c> or <c>CPU</c>.</summary>
    public string Backend { get; init; } = string.Empty;

    /// <summary>The runtime (registry) that raised the event.</summary>
    public string Runtime { get; init; } = string.Empty;

    /// <summary>Extra detail: the rejection reason of a table entry, the table source, ...</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>For <see cref="KernelEventKind.Tuned"/>: every candidate's time.</summary>
    public IReadOnlyList<CandidateTiming> Candidates { get; init; } = [];

    /// <summary>When the event happened (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Whether this event is a compile or a tuning run (what the serving gate counts).</summary>
    public bool IsCompileOrTune => Kind is KernelEventKind.Compiled or KernelEventKind.TuneStarted;

    /// <summary>One line, like <c>TRITON_PRINT_AUTOTUNING</c> prints.</summary>
    public override string ToString()
    {
        var text = $"[warmgate] {Kind} {Kernel} key={Key}";
        if (Config.Length > 0) text += $" config={Config}";
        text += $" phase={Phase} {Duration.TotalMilliseconds:F1} ms";
        if (Scope is not null) text += $" scope={Scope}";
        if (CallSite is not null) text += $" at {CallSite}";
        if (Detail.Length > 0) text += $" ({Detail})";
        return text;
    }
}
