using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Records every kernel event of a test run and attributes it to the test it happened in,
/// through the ambient kernel scope that <see cref="BeginTest"/> sets (never through timing, so
/// it is right when test collections run in parallel). The WarmGate test framework creates one
/// per test assembly run; fixtures find it through <see cref="Active"/>.
/// </summary>
public sealed class GateSession : IDisposable
{
    private static readonly AsyncLocal<TestGate?> AmbientTest = new();
    private static GateSession? active;

    private readonly List<RecordedEvent> events = [];
    private readonly Dictionary<string, TestGate> byScope = new(StringComparer.Ordinal);
    private readonly List<string> targets = [];
    private readonly List<TuningTableUse> tables = [];
    private readonly Dictionary<WarmedKey, SortedSet<string>> uses = [];
    private readonly List<RecordedEvent> unreported = [];
    private IDisposable? subscription;
    private IDisposable? useSubscription;
    private bool listenedToUses;

    /// <summary>The session of the test run in progress, or null when the WarmGate test framework is not running.</summary>
    public static GateSession? Active => Volatile.Read(ref active);

    /// <summary>When the session was created (UTC).</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    internal Lock Sync { get; } = new();

    /// <summary>Every event recorded so far, in order.</summary>
    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            lock (Sync) return [.. events];
        }
    }

    /// <summary>
    /// Compile and tuning events after load that no test was failed or warned for: outside any
    /// test, after their test ended, or left over by a runner that could not report them.
    /// </summary>
    public IReadOnlyList<RecordedEvent> Unattributed
    {
        get
        {
            lock (Sync) return [.. events.Where(e => e.Verdict == EventVerdict.OutsideAnyTest).Concat(unreported).OrderBy(e => e.Sequence)];
        }
    }

    /// <summary>The names of the targets fixtures registered with <see cref="AddTarget"/>.</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (Sync) return [.. targets];
        }
    }

    /// <summary>The tuning tables the registered targets reported when they were registered.</summary>
    public IReadOnlyList<TuningTableUse> Tables
    {
        get
        {
            lock (Sync) return [.. tables];
        }
    }

    /// <summary>
    /// Whether launches of compiled kernels were observed: the session listened to
    /// <see cref="KernelEvents.SubscribeUse"/>, or a use was recorded. When false, which tests
    /// used each warmed key is unknown rather than "none".
    /// </summary>
    public bool UsageObserved
    {
        get
        {
            lock (Sync) return listenedToUses || uses.Count > 0;
        }
    }

    /// <summary>
    /// Every launch of an already compiled kernel made in a test, grouped by what the registry
    /// reported (runtime, kernel, key, config), with the tests that made it, in no particular order.
    /// </summary>
    public IReadOnlyList<RecordedUse> Uses
    {
        get
        {
            lock (Sync) return [.. uses.Select(u => new RecordedUse(u.Key, [.. u.Value]))];
        }
    }

    /// <summary>
    /// Starts receiving every <see cref="KernelEvents"/> event of the process, and every launch of
    /// a compiled kernel (<see cref="KernelEvents.SubscribeUse"/>), until disposed.
    /// </summary>
    public IDisposable Listen()
    {
        lock (Sync)
        {
            if (subscription is not null)
                throw new InvalidOperationException("This gate session already listens to kernel events.");
            subscription = KernelEvents.Subscribe(Record);
            useSubscription = KernelEvents.SubscribeUse(RecordUse);
            listenedToUses = true;
            return new Callback(StopListening);
        }
    }

    /// <summary>Makes this the <see cref="Active"/> session until the returned object is disposed.</summary>
    /// <exception cref="InvalidOperationException">Another session is active.</exception>
    public IDisposable Activate()
    {
        if (Interlocked.CompareExchange(ref active, this, null) is { } other && other != this)
            throw new InvalidOperationException(
                "Another WarmGate gate session is active in this process; one test assembly runs at a time.");
        return new Callback(() => Interlocked.CompareExchange(ref active, null, this));
    }

    /// <summary>
    /// Starts gating a test: enters its kernel scope on the calling async flow (so work the test
    /// awaits or starts flows it) until <see cref="TestGate.End"/>.
    /// </summary>
    /// <param name="displayName">The test's display name.</param>
    /// <param name="mode">The test's gate mode.</param>
    public TestGate BeginTest(string displayName, GateMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        lock (Sync)
        {
            var scope = displayName;
            for (var n = 2; byScope.ContainsKey(scope); n++)
                scope = $"{displayName} #{n}";
            var previous = AmbientTest.Value;
            var kernelScope = KernelScope.Enter(scope);
            var restoreAmbient = new Callback(() => AmbientTest.Value = previous);
            var gate = new TestGate(this, displayName, scope, mode, kernelScope, restoreAmbient);
            AmbientTest.Value = gate;
            byScope[scope] = gate;
            return gate;
        }
    }

    /// <summary>Records one event and, when it counts against a running test, adds it to that test.</summary>
    /// <param name="e">The event.</param>
    public void Record(KernelEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var ambient = AmbientTest.Value;
        lock (Sync)
        {
            TestGate? test = null;
            if (e.Scope is not null && byScope.TryGetValue(e.Scope, out var byName))
                test = byName;
            else if (ambient is not null && ambient.Session == this)
                test = ambient;

            var (verdict, note) = Judge(e, test);
            events.Add(new RecordedEvent(events.Count + 1, e, test?.DisplayName, verdict, note));
            if (verdict is EventVerdict.FailedTest or EventVerdict.Warned)
                test!.AddUnderLock(e);
        }
    }

    /// <summary>Records a launch of a compiled kernel, as <see cref="KernelEvents.SubscribeUse"/> reports it.</summary>
    /// <param name="use">The launch.</param>
    public void RecordUse(KernelUse use)
    {
        ArgumentNullException.ThrowIfNull(use);
        RecordUse(use.Runtime, use.Kernel, use.Key, use.Config, use.Scope);
    }

    /// <summary>
    /// Records that a compiled kernel was launched (a cache hit in the registry), for the report's
    /// used and unused warmed keys. Launches outside any test are not kept.
    /// </summary>
    /// <param name="runtime">The registry's runtime name.</param>
    /// <param name="kernel">The kernel id.</param>
    /// <param name="key">The compile key.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="scope">The kernel scope at the launch.</param>
    public void RecordUse(string runtime, string kernel, string key, string config, string? scope)
    {
        var ambient = AmbientTest.Value;
        lock (Sync)
        {
            var test = scope is not null && byScope.TryGetValue(scope, out var t) ? t
                : ambient is not null && ambient.Session == this ? ambient : null;
            if (test is null) return;
            var warmed = new WarmedKey(runtime, kernel, key, config);
            if (!uses.TryGetValue(warmed, out var tests))
                uses[warmed] = tests = new SortedSet<string>(StringComparer.Ordinal);
            tests.Add(test.DisplayName);
        }
    }

    /// <summary>
    /// Registers a loaded and warmed-up target and takes a copy of its tuning tables for the
    /// report (read now: the target is disposed before the report is written).
    /// </summary>
    /// <param name="target">The target.</param>
    public void AddTarget(IWarmGateTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var used = target.TuningTables;
        lock (Sync)
        {
            targets.Add(target.Name);
            tables.AddRange(used);
        }
    }

    /// <summary>
    /// Adds events a runner counted against a test but could not report on it (they came after
    /// its last result), so the run fails for them at the end.
    /// </summary>
    /// <param name="test">The test's display name.</param>
    /// <param name="leftovers">The events.</param>
    public void AddUnreported(string test, IReadOnlyList<KernelEvent> leftovers)
    {
        ArgumentNullException.ThrowIfNull(leftovers);
        lock (Sync)
        {
            foreach (var e in leftovers)
            {
                var recorded = events.FirstOrDefault(r => ReferenceEquals(r.Event, e));
                if (recorded is not null)
                    unreported.Add(recorded with { Verdict = EventVerdict.OutsideAnyTest, Note = $"in test '{test}' after its result was reported" });
            }
        }
    }

    /// <summary>Stops listening; the recorded events stay readable.</summary>
    public void Dispose() => StopListening();

    private void StopListening()
    {
        IDisposable? s, u;
        lock (Sync)
        {
            (s, u) = (subscription, useSubscription);
            (subscription, useSubscription) = (null, null);
        }
        s?.Dispose();
        u?.Dispose();
    }

    private static (EventVerdict, string) Judge(KernelEvent e, TestGate? test)
    {
        if (!RecordedEvent.IsGated(e)) return (EventVerdict.Allowed, string.Empty);
        if (test is null) return (EventVerdict.OutsideAnyTest, string.Empty);
        if (test.EndedUnderLock) return (EventVerdict.OutsideAnyTest, $"after test '{test.DisplayName}' ended");
        return test.Mode switch
        {
            GateMode.Error => (EventVerdict.FailedTest, string.Empty),
            GateMode.Warn => (EventVerdict.Warned, string.Empty),
            _ => (EventVerdict.Ignored, "gate mode off"),
        };
    }

    private sealed class Callback(Action action) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) action();
        }
    }
}
