using System.Globalization;
using System.Text;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>The messages the gate shows people: one per gated test, one for the run.</summary>
public static class GateMessages
{
    /// <summary>The message for a test in whose scope kernels compiled or tuned after load.</summary>
    /// <param name="test">The test's display name.</param>
    /// <param name="events">The compile and tuning events in the <c>Serving</c> phase.</param>
    /// <param name="mode">The test's gate mode (<see cref="GateMode.Error"/> or <see cref="GateMode.Warn"/>).</param>
    public static string ForTest(string test, IReadOnlyList<KernelEvent> events, GateMode mode)
    {
        ArgumentNullException.ThrowIfNull(events);
        var text = new StringBuilder();
        var outcome = mode == GateMode.Warn ? "the test passes because its gate mode is warn" : "gate mode error";
        text.Append(CultureInfo.InvariantCulture,
            $"WarmGate: {Count(events)} after load (Serving phase) in test '{test}'; {outcome}.");
        text.AppendLine();
        AppendEvents(text, events.Select(e => (e, (string?)null)).ToList(), outsideTests: false);
        AppendAdvice(text, events, offAdvice: "If this test compiles after load on purpose, mark it [WarmGateMode(GateMode.Off)] (or Warn).");
        return text.ToString().TrimEnd();
    }

    /// <summary>The message for compile and tuning events after load that no test could be failed for.</summary>
    /// <param name="events">The events, with the reason each was not attributed.</param>
    /// <param name="mode">The run's gate mode.</param>
    public static string ForRun(IReadOnlyList<RecordedEvent> events, GateMode mode)
    {
        ArgumentNullException.ThrowIfNull(events);
        var kernelEvents = events.Select(r => r.Event).ToList();
        var text = new StringBuilder();
        var outcome = mode == GateMode.Warn ? "the run passes because its gate mode is warn" : "the run fails";
        text.Append(CultureInfo.InvariantCulture,
            $"WarmGate: {Count(kernelEvents)} after load (Serving phase) outside any running test; {outcome}. ");
        text.Append("Work that does not flow from a test (a fixture, a timer, a thread started with the execution context suppressed) or that runs after its test ended caused:");
        text.AppendLine();
        AppendEvents(text, events.Select(r => (r.Event, (string?)r.Note)).ToList(), outsideTests: true);
        AppendAdvice(text, kernelEvents, offAdvice: "To find the test, make the work flow from it (await it inside the test) so the gate can name it.");
        return text.ToString().TrimEnd();
    }

    /// <summary>One line describing an event: kind, kernel, key, config, duration, runtime.</summary>
    /// <param name="e">The event.</param>
    public static string Describe(KernelEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var what = e.Kind == KernelEventKind.TuneStarted ? "tuning run" : "compile";
        var config = e.Config.Length > 0 ? $" config={e.Config}" : string.Empty;
        var backend = e.Backend.Length > 0 ? $" ({e.Backend})" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} of kernel {e.Kernel} key={e.Key}{config}, {e.Duration.TotalMilliseconds:F1} ms, runtime {e.Runtime}{backend}");
    }

    private static string Count(IReadOnlyList<KernelEvent> events)
    {
        var compiles = events.Count(e => e.Kind == KernelEventKind.Compiled);
        var tunes = events.Count(e => e.Kind == KernelEventKind.TuneStarted);
        var parts = new List<string>();
        if (compiles > 0) parts.Add(compiles == 1 ? "1 kernel compile" : $"{compiles} kernel compiles");
        if (tunes > 0) parts.Add(tunes == 1 ? "1 tuning run" : $"{tunes} tuning runs");
        return parts.Count == 0 ? "no compiles" : string.Join(" and ", parts);
    }

    private static void AppendEvents(StringBuilder text, IReadOnlyList<(KernelEvent Event, string? Note)> events, bool outsideTests)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var (e, note) = events[i];
            text.Append(CultureInfo.InvariantCulture, $"  {i + 1}. {Describe(e)}").AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"     at {e.CallSite ?? "<call site unknown>"}").AppendLine();
            if (e.Detail.Length > 0)
                text.Append(CultureInfo.InvariantCulture, $"     specialization {e.Detail}").AppendLine();
            if (!string.IsNullOrEmpty(note))
                text.Append(CultureInfo.InvariantCulture, $"     {note}").AppendLine();
            else if (outsideTests && e.Scope is not null)
                text.Append(CultureInfo.InvariantCulture, $"     in kernel scope '{e.Scope}', which is not a running test").AppendLine();
        }
    }

    private static void AppendAdvice(StringBuilder text, IReadOnlyList<KernelEvent> events, string offAdvice)
    {
        text.AppendLine("What to do:");
        var compiled = events.Where(e => e.Kind == KernelEventKind.Compiled).Select(e => $"{e.Kernel} key={e.Key}").Distinct().ToList();
        if (compiled.Count > 0)
            text.Append(CultureInfo.InvariantCulture,
                $"  - Add this path to the warmup plan so warmup compiles it before serving ({string.Join("; ", compiled)}).").AppendLine();
        var tuned = events.Where(e => e.Kind == KernelEventKind.TuneStarted).Select(e => $"{e.Kernel} key={e.Key}").Distinct().ToList();
        if (tuned.Count > 0)
            text.Append(CultureInfo.InvariantCulture,
                $"  - Pre-tune it at build time with `warmgate tune` or the WarmGate.MSBuildTasks target WarmGatePretuneKernels (WarmGatePretune=true) and embed the table, or make warmup tune it ({string.Join("; ", tuned)}).").AppendLine();
        text.Append("  - ").AppendLine(offAdvice);
    }
}
