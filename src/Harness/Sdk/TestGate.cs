using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// One running test as the gate sees it: created by <see cref="GateSession.BeginTest"/>, which
/// enters the test's kernel scope on the calling async flow, and ended by <see cref="End"/> on
/// the same flow, which leaves it and returns the compile and tuning events that count against
/// the test.
/// </summary>
public sealed class TestGate : IDisposable
{
    private readonly GateSession session;
    private readonly IDisposable kernelScope;
    private readonly IDisposable ambient;
    private readonly List<KernelEvent> violations = [];
    private int taken;
    private bool ended;

    internal TestGate(GateSession session, string displayName, string scope, GateMode mode, IDisposable kernelScope, IDisposable ambient)
    {
        this.session = session;
        DisplayName = displayName;
        Scope = scope;
        Mode = mode;
        this.kernelScope = kernelScope;
        this.ambient = ambient;
    }

    /// <summary>The test's display name.</summary>
    public string DisplayName { get; }

    /// <summary>The kernel scope events carry while the test runs (the display name, made unique in the run).</summary>
    public string Scope { get; }

    /// <summary>The gate mode of this test.</summary>
    public GateMode Mode { get; }

    internal GateSession Session => session;

    /// <summary>Whether <see cref="End"/> was called.</summary>
    public bool HasEnded
    {
        get
        {
            lock (session.Sync) return ended;
        }
    }

    /// <summary>The events that count against the test so far (in <see cref="GateMode.Error"/> or <see cref="GateMode.Warn"/>).</summary>
    public IReadOnlyList<KernelEvent> Violations
    {
        get
        {
            lock (session.Sync) return [.. violations];
        }
    }

    /// <summary>
    /// Leaves the test's scope and stops attributing events to it. Call it on the async flow
    /// that called <see cref="GateSession.BeginTest"/>. Returns the events not yet taken by
    /// <see cref="TakeViolations"/>; calling it again returns nothing.
    /// </summary>
    public IReadOnlyList<KernelEvent> End()
    {
        lock (session.Sync)
        {
            if (ended) return [];
            ended = true;
        }
        ambient.Dispose();
        kernelScope.Dispose();
        return TakeViolations();
    }

    /// <summary>Returns the events counted against the test since the last call, for runners that report several results per scope.</summary>
    public IReadOnlyList<KernelEvent> TakeViolations()
    {
        lock (session.Sync)
        {
            var fresh = violations.Skip(taken).ToList();
            taken = violations.Count;
            return fresh;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => End();

    /// <summary>Called by the session, under its lock.</summary>
    internal bool EndedUnderLock => ended;

    /// <summary>Called by the session, under its lock.</summary>
    internal void AddUnderLock(KernelEvent e) => violations.Add(e);
}
