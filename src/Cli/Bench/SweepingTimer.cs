using System.Collections.Concurrent;
using System.Diagnostics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// An <see cref="ICandidateTimer"/> for a model runtime's tuner that answers as the tuner's own
/// timer would, and right after each candidate's measurement (while the tuner's data is still
/// live) times the same candidate again with many more runs: the exhaustive sweep that the
/// tuner's choice is judged against. The (kernel, key) being tuned comes from the runtime's
/// <c>TuneStarted</c> events.
/// </summary>
internal sealed class SweepingTimer : ICandidateTimer, IDisposable
{
    private readonly ICandidateTimer inner;
    private readonly int sweepRuns;
    private readonly ConcurrentDictionary<(string Kernel, string Key), ConcurrentDictionary<string, double>> sweeps = new();
    private IDisposable? subscription;
    private (string Kernel, string Key)? current;

    /// <summary>Answers with <paramref name="inner"/> and sweeps each candidate with <paramref name="sweepRuns"/> timed runs.</summary>
    public SweepingTimer(ICandidateTimer inner, int sweepRuns)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sweepRuns);
        this.inner = inner;
        this.sweepRuns = sweepRuns;
    }

    /// <summary>Follows the tuning events of the runtime whose registry is named <paramref name="runtime"/>.</summary>
    public void Follow(string runtime)
    {
        subscription?.Dispose();
        subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime && e.Kind == KernelEventKind.TuneStarted) current = (e.Kernel, e.Key);
        });
    }

    /// <summary>The sweep's median time (ms) of every candidate measured for a kernel and key.</summary>
    public IReadOnlyDictionary<string, double> Sweep(string kernel, string key) =>
        sweeps.TryGetValue((kernel, key), out var times) ? times : new Dictionary<string, double>();

    /// <inheritdoc/>
    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions)
    {
        var answer = inner.MedianMilliseconds(config, run, warmups, repetitions);
        if (current is { } id)
        {
            var times = new double[sweepRuns];
            for (var i = 0; i < times.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                run();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            sweeps.GetOrAdd(id, _ => new())[config] = Timing.TimingStats.Percentile(times, 0.5);
        }
        return answer;
    }

    /// <inheritdoc/>
    public void Dispose() => subscription?.Dispose();
}
