namespace WarmGate.Harness.Sdk;

/// <summary>The report of one test assembly run, written as JSON and Markdown after the run.</summary>
public sealed record GateReport
{
    /// <summary>The report schema version.</summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The test assembly's name.</summary>
    public required string Assembly { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the report was made (UTC).</summary>
    public required DateTimeOffset Finished { get; init; }

    /// <summary>The run's gate mode (for events outside tests and tests without an attribute).</summary>
    public required GateMode RunMode { get; init; }

    /// <summary><c>passed</c> or <c>failed</c>: whether the gate failed any test or the run.</summary>
    public required string Verdict { get; init; }

    /// <summary>Counts.</summary>
    public required ReportSummary Summary { get; init; }

    /// <summary>Every kernel event, in order, with its phase, test and verdict.</summary>
    public required IReadOnlyList<ReportEvent> Events { get; init; }

    /// <summary>The tuning tables the targets used, and their sources.</summary>
    public required IReadOnlyList<TuningTableUse> Tables { get; init; }

    /// <summary>Whether kernel launches were observed; when false, <see cref="ReportWarmedKey.UsedBy"/> is unknown (null).</summary>
    public required bool UsageObserved { get; init; }

    /// <summary>Every key compiled during warmup, with the tests that launched it.</summary>
    public required IReadOnlyList<ReportWarmedKey> WarmedKeys { get; init; }
}

/// <summary>The counts of a <see cref="GateReport"/>.</summary>
/// <param name="Events">All kernel events.</param>
/// <param name="AfterLoad">Compiles and tuning runs in the <c>Serving</c> phase.</param>
/// <param name="FailedTests">Tests the gate failed.</param>
/// <param name="WarnedTests">Tests the gate warned about.</param>
/// <param name="OutsideAnyTest">Compiles and tuning runs after load that no test could be blamed for.</param>
/// <param name="WarmedKeys">Keys compiled during warmup.</param>
/// <param name="UnusedWarmedKeys">Warmed keys no test launched (null when launches were not observed).</param>
public sealed record ReportSummary(int Events, int AfterLoad, int FailedTests, int WarnedTests, int OutsideAnyTest, int WarmedKeys, int? UnusedWarmedKeys);

/// <summary>One kernel event in a <see cref="GateReport"/>.</summary>
/// <param name="Sequence">Its number in the run.</param>
/// <param name="Kind">Compiled, TuneStarted, Tuned or TableEntryRejected.</param>
/// <param name="Phase">Loading, WarmingUp or Serving.</param>
/// <param name="Kernel">The kernel id.</param>
/// <param name="Key">The compile or tuning key.</param>
/// <param name="Config">The configuration.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Test">The test it happened in, or null.</param>
/// <param name="Scope">The kernel scope it carried.</param>
/// <param name="Verdict">What the gate made of it.</param>
/// <param name="Note">Why, when the verdict needs explaining.</param>
/// <param name="CallSite">The first caller outside WarmGate.Kernels.</param>
/// <param name="Runtime">The registry's runtime name.</param>
/// <param name="Backend">The backend.</param>
/// <param name="Detail">Extra detail (specialization, rejection reason).</param>
/// <param name="Timestamp">When it happened (UTC).</param>
public sealed record ReportEvent(
    int Sequence,
    string Kind,
    string Phase,
    string Kernel,
    string Key,
    string Config,
    double DurationMs,
    string? Test,
    string? Scope,
    EventVerdict Verdict,
    string Note,
    string? CallSite,
    string Runtime,
    string Backend,
    string Detail,
    DateTimeOffset Timestamp);

/// <summary>A key compiled during warmup, and the tests that launched it.</summary>
/// <param name="Runtime">The registry's runtime name.</param>
/// <param name="Kernel">The kernel id.</param>
/// <param name="Key">The compile key.</param>
/// <param name="Config">The configuration.</param>
/// <param name="UsedBy">The tests that launched it; null when launches were not observed.</param>
/// <param name="MaybeUsedBy">
/// Other tests that launched this kernel id in a way that could have been this key or another
/// compiled key of the same kernel (the launch did not say which); null when launches were not observed.
/// </param>
public sealed record ReportWarmedKey(
    string Runtime, string Kernel, string Key, string Config, IReadOnlyList<string>? UsedBy, IReadOnlyList<string>? MaybeUsedBy)
{
    /// <summary>Whether launches were observed and no test launched (or may have launched) this key.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NeverUsed => UsedBy is { Count: 0 } && MaybeUsedBy is null or { Count: 0 };
}
