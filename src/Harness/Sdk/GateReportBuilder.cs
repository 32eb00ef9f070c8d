using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>Builds a <see cref="GateReport"/> from what a <see cref="GateSession"/> recorded.</summary>
public static class GateReportBuilder
{
    /// <summary>Builds the report.</summary>
    /// <param name="session">The session of the run.</param>
    /// <param name="assembly">The test assembly's name.</param>
    /// <param name="runMode">The run's gate mode.</param>
    public static GateReport Build(GateSession session, string assembly, GateMode runMode)
    {
        ArgumentNullException.ThrowIfNull(session);
        var recorded = session.Events;
        var unattributed = session.Unattributed;
        var usageObserved = session.UsageObserved;

        var (used, possible) = WarmedKeyUsage.Resolve(recorded, session.Uses);
        var warmed = recorded
            .Where(r => r.Event.Kind == KernelEventKind.Compiled && r.Event.Phase == KernelPhase.WarmingUp)
            .Select(r => new WarmedKey(r.Event.Runtime, r.Event.Kernel, r.Event.Key, r.Event.Config))
            .Distinct()
            .Select(k => ToReport(k, usageObserved, used, possible))
            .ToList();

        var events = recorded.Select(r => ToReport(r, unattributed)).ToList();
        var failedTests = events.Where(r => r.Verdict == EventVerdict.FailedTest).Select(r => r.Test).Distinct().Count();
        var warnedTests = events.Where(r => r.Verdict == EventVerdict.Warned).Select(r => r.Test).Distinct().Count();
        var outsideFails = unattributed.Count > 0 && runMode == GateMode.Error;

        return new GateReport
        {
            Assembly = assembly,
            Started = session.Started,
            Finished = DateTimeOffset.UtcNow,
            RunMode = runMode,
            Verdict = failedTests > 0 || outsideFails ? "failed" : "passed",
            Summary = new ReportSummary(
                Events: recorded.Count,
                AfterLoad: recorded.Count(r => r.IsAfterLoad),
                FailedTests: failedTests,
                WarnedTests: warnedTests,
                OutsideAnyTest: unattributed.Count,
                WarmedKeys: warmed.Count,
                UnusedWarmedKeys: usageObserved ? warmed.Count(k => k.NeverUsed) : null),
            Events = events,
            Tables = session.Tables,
            UsageObserved = usageObserved,
            WarmedKeys = warmed,
        };
    }

    private static ReportWarmedKey ToReport(
        WarmedKey k, bool usageObserved, Dictionary<WarmedKey, SortedSet<string>> used, Dictionary<WarmedKey, SortedSet<string>> possible)
    {
        if (!usageObserved) return new ReportWarmedKey(k.Runtime, k.Kernel, k.Key, k.Config, null, null);
        IReadOnlyList<string> certain = used.TryGetValue(k, out var u) ? [.. u] : [];
        IReadOnlyList<string> maybe = possible.TryGetValue(k, out var p) ? [.. p.Except(certain, StringComparer.Ordinal)] : [];
        return new ReportWarmedKey(k.Runtime, k.Kernel, k.Key, k.Config, certain, maybe);
    }

    private static ReportEvent ToReport(RecordedEvent r, IReadOnlyList<RecordedEvent> unattributed)
    {
        var e = r.Event;
        // A runner may hand back events it could not report on their test: they count as outside.
        var final = unattributed.FirstOrDefault(u => u.Sequence == r.Sequence) ?? r;
        var (verdict, note) = (final.Verdict, final.Note);
        return new ReportEvent(
            r.Sequence, e.Kind.ToString(), e.Phase.ToString(), e.Kernel, e.Key, e.Config,
            Math.Round(e.Duration.TotalMilliseconds, 3), r.Test, e.Scope, verdict, note,
            e.CallSite, e.Runtime, e.Backend, e.Detail, e.Timestamp);
    }
}
