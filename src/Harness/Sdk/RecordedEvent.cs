using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>One kernel event as the gate saw it.</summary>
/// <param name="Sequence">Its number in the run, from 1.</param>
/// <param name="Event">The event.</param>
/// <param name="Test">The display name of the test it happened in (or after), or null.</param>
/// <param name="Verdict">What the gate made of it.</param>
/// <param name="Note">Why, when the verdict needs explaining (e.g. the test had already ended).</param>
public sealed record RecordedEvent(int Sequence, KernelEvent Event, string? Test, EventVerdict Verdict, string Note = "")
{
    /// <summary>Whether this is a compile or tuning run in the <c>Serving</c> phase.</summary>
    public bool IsAfterLoad => IsGated(Event);

    /// <summary>Whether an event counts against the gate: a compile or tuning run in the <c>Serving</c> phase.</summary>
    /// <param name="e">The event.</param>
    public static bool IsGated(KernelEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.IsCompileOrTune && e.Phase == KernelPhase.Serving;
    }
}
