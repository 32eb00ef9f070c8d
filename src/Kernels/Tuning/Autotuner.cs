using System.Collections.Concurrent;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Chooses a configuration per (kernel, key): from a tuning table when one has a valid entry,
/// otherwise by measuring every candidate. Each tuning run is a <see cref="KernelEventKind.TuneStarted"/>
/// and a <see cref="KernelEventKind.Tuned"/> event in the registry's current phase; a table entry
/// that cannot be used is a <see cref="KernelEventKind.TableEntryRejected"/> event, never silence.
/// Thread-safe: concurrent requests for the same new key tune it once.
/// </summary>
public sealed partial class Autotuner
{
    private readonly KernelRegistry registry;
    private readonly ICandidateTimer timer;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<(string Kernel, string Key), string> chosen = new();
    private readonly ConcurrentDictionary<(string Kernel, string Key), object> keyLocks = new();
    private readonly ConcurrentQueue<TuningEntry> tuned = new();
    private readonly ConcurrentDictionary<(string Kernel, string Key, string Origin), byte> reportedRejections = new();
    private readonly List<ITuningSource> sources = [];

    /// <summary>Creates an autotuner that compiles through <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry (its phase stamps every event).</param>
    /// <param name="timer">
    /// How candidates are measured; by default <see cref="DeviceCandidateTimer"/> (device time
    /// for tunables with a stream on a CUDA device, else wall time of synchronous runs).
    /// </param>
    /// <param name="options">Warm-ups, repetitions, budget and re-measure; by device kind when null.</param>
    /// <param name="clock">The clock the budget is checked against; the system clock by default (tests pass a fake).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> has a count out of range (<see cref="TunerOptions.Validate"/>).</exception>
    public Autotuner(KernelRegistry registry, ICandidateTimer? timer = null, TunerOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        this.timer = timer ?? new DeviceCandidateTimer();
        this.clock = clock ?? TimeProvider.System;
        Options = options ?? (registry.Device.Backend == "Cuda" ? TunerOptions.Gpu : TunerOptions.Cpu);
        Options.Validate();
    }

    /// <summary>The measurement settings.</summary>
    public TunerOptions Options { get; }

    /// <summary>The registry this tuner's kernels compile through.</summary>
    public KernelRegistry Registry => registry;

    /// <summary>Every choice this tuner measured itself (not those read from tables), in order.</summary>
    public IReadOnlyList<TuningEntry> Tuned => tuned.ToArray();

    /// <summary>Adds a source of earlier choices; earlier-added sources win.</summary>
    public void AddSource(ITuningSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (sources) sources.Add(source);
    }

    /// <summary>Whether a configuration for this kernel and key is already known (no tuning needed).</summary>
    public bool IsResolved(string kernel, string key) => chosen.ContainsKey((kernel, key));

    /// <summary>
    /// Returns the configuration to use for <paramref name="op"/>: the cached choice, else a valid
    /// table entry, else the result of tuning now.
    /// </summary>
    /// <exception cref="TuningException">Every candidate was pruned or failed.</exception>
    public string Resolve(ITunable op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var id = (op.KernelId, op.Key);
        if (chosen.TryGetValue(id, out var config)) return config;
        lock (keyLocks.GetOrAdd(id, _ => new object()))
        {
            if (chosen.TryGetValue(id, out config)) return config;
            config = FromTables(op) ?? TuneUnlessDiscovering(op);
            chosen[id] = config;
            return config;
        }
    }

    /// <summary>Tunes <paramref name="op"/>, unless the calling thread is dry-running a warmup (which has no real data to time).</summary>
    private string TuneUnlessDiscovering(ITunable op) =>
        registry.IsDiscoveringOnCurrentThread
            ? throw new DiscoveryStoppedException(op.KernelId, op.Key)
            : Tune(op).Config;

    private string? FromTables(ITunable op)
    {
        ITuningSource[] snapshot;
        lock (sources) snapshot = [.. sources];
        foreach (var source in snapshot)
        {
            if (!source.TryGet(op.KernelId, op.Key, out var entry, out var origin)) continue;
            var reason = entry.KernelHash != op.KernelHash
                ? $"kernel-hash: the table was tuned for kernel version {entry.KernelHash}, this build has {op.KernelHash}; re-tune"
                : !op.Candidates.Contains(entry.Config)
                    ? $"unknown-config: '{entry.Config}' is not in this build's configuration space; re-tune"
                    : !op.CanRun(entry.Config, out var why)
                        ? $"cannot-run: {why}"
                        : null;
            if (reason is null) return entry.Config;
            // A warmup dry run that stops before tuning this key looks it up again in the real run.
            if (reportedRejections.TryAdd((op.KernelId, op.Key, origin), 0))
                Publish(KernelEventKind.TableEntryRejected, op, entry.Config, TimeSpan.Zero, $"{reason} (from {origin})", []);
        }
        return null;
    }

    /// <summary>
    /// Measures every candidate of <paramref name="op"/> now and returns the choice (not cached):
    /// a first pass times each candidate (warm-ups, then the median of the repetitions); then the
    /// fastest <see cref="TunerOptions.Finalists"/> are re-measured in interleaved rounds and the
    /// lowest median wins (<see cref="TunerOptions.RemeasureRounds"/>). Ties go to the candidate
    /// declared first; once <see cref="TunerOptions.BudgetPerKey"/> is spent, no further candidate
    /// or round starts.
    /// </summary>
    /// <exception cref="TuningException">Every candidate was pruned or failed.</exception>
    public TuningEntry Tune(ITunable op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var started = clock.GetTimestamp();
        Func<bool> budgetSpent = () => clock.GetElapsedTime(started) > Options.BudgetPerKey;
        Publish(KernelEventKind.TuneStarted, op, string.Empty, TimeSpan.Zero, $"{op.Candidates.Count} candidates", []);
        var timings = new List<CandidateTiming>(op.Candidates.Count);
        var measured = new List<Measured>();
        foreach (var candidate in op.Candidates)
        {
            if (measured.Count > 0 && budgetSpent())
            {
                timings.Add(new CandidateTiming(candidate, double.NaN, "skipped: tuning budget spent"));
                continue;
            }
            if (!op.CanRun(candidate, out var reason))
            {
                timings.Add(new CandidateTiming(candidate, double.NaN, "pruned: " + reason));
                continue;
            }
            double ms;
            try
            {
                ms = timer.MedianMilliseconds(CandidateRun.Of(op, candidate), Options.Warmups, Options.Repetitions);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                timings.Add(new CandidateTiming(candidate, double.NaN, $"failed: {ex.GetType().Name}: {ex.Message}"));
                continue;
            }
            measured.Add(new Measured(timings.Count, candidate, ms));
            timings.Add(new CandidateTiming(candidate, ms));
        }
        if (measured.Count == 0) throw NothingRan(op, timings);
        var (best, bestTime) = Choose(op, measured, timings, budgetSpent);
        var elapsed = clock.GetElapsedTime(started);
        var choice = new TuningEntry(op.KernelId, op.KernelHash, op.Key, best, bestTime, timings);
        tuned.Enqueue(choice);
        Publish(KernelEventKind.Tuned, op, best, elapsed, $"{bestTime:F3} ms", timings);
        return choice;
    }

    private static TuningException NothingRan(ITunable op, IEnumerable<CandidateTiming> timings)
    {
        var lines = string.Join(Environment.NewLine, timings.Select(t => $"  {t.Config}: {t.Note}"));
        return new TuningException(
            $"Tuning {op.KernelId} for key {op.Key} failed: no candidate could run.{Environment.NewLine}{lines}");
    }

    private void Publish(
        KernelEventKind kind, ITunable op, string config, TimeSpan duration, string detail,
        IReadOnlyList<CandidateTiming> candidates) =>
        KernelEvents.Publish(new KernelEvent
        {
            Kind = kind,
            Phase = registry.Phase,
            Kernel = op.KernelId,
            Key = op.Key,
            Config = config,
            Duration = duration,
            Scope = KernelScope.Current,
            CallSite = kind == KernelEventKind.TuneStarted ? CallSite.Capture() : null,
            Backend = registry.Device.Backend,
            Runtime = registry.Name,
            Detail = detail,
            Candidates = candidates,
        });
}
