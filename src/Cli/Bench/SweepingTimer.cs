using System.Collections.Concurrent;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// An <see cref="ICandidateTimer"/> for a model runtime's tuner that answers as the tuner's own
/// timer would, and right after a candidate's first measurement (while the tuner's data is still
/// live) times the same candidate again with many more runs: the exhaustive sweep that the
/// tuner's choice is judged against. The sweep uses device time (<see cref="DeviceTimer"/>) when
/// the candidate can be enqueued on a device with a clock, else wall time of synchronous runs.
/// Re-measures of a candidate already swept are answered without sweeping again. The (kernel,
/// key) being tuned comes from the runtime's <c>TuneStarted</c> events.
/// </summary>
internal sealed class SweepingTimer : ICandidateTimer, IDisposable
{
    private readonly ICandidateTimer inner;
    private readonly int sweepRuns;
    private readonly ConcurrentDictionary<(string Kernel, string Key), Sweep> sweeps = new();
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
    public IReadOnlyDictionary<string, double> SweepOf(string kernel, string key) =>
        sweeps.TryGetValue((kernel, key), out var sweep) ? sweep.Medians : new Dictionary<string, double>();

    /// <summary>How the sweep of a kernel and key was timed: <c>events</c>, <c>wall</c>, or both joined by '+'.</summary>
    public string TimerOf(string kernel, string key) =>
        sweeps.TryGetValue((kernel, key), out var sweep) ? string.Join("+", sweep.Timers.Keys.Order(StringComparer.Ordinal)) : "none";

    /// <inheritdoc/>
    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions) =>
        MedianMilliseconds(new CandidateRun(config, run), warmups, repetitions);

    /// <inheritdoc/>
    public double MedianMilliseconds(CandidateRun candidate, int warmups, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var answer = inner.MedianMilliseconds(candidate, warmups, repetitions);
        if (current is { } id)
        {
            var sweep = sweeps.GetOrAdd(id, _ => new Sweep());
            if (!sweep.Medians.ContainsKey(candidate.Config))
            {
                var (median, timer) = Time(candidate);
                sweep.Medians[candidate.Config] = median;
                sweep.Timers[timer] = 0;
            }
        }
        return answer;
    }

    /// <inheritdoc/>
    public void Dispose() => subscription?.Dispose();

    private (double Milliseconds, string Timer) Time(CandidateRun candidate)
    {
        if (candidate is { Stream: { } stream, Enqueue: { } enqueue })
        {
            var device = DeviceTimer.For(stream.Accelerator);
            if (device.IsDeviceTime)
                return (Timing.TimingStats.Of(device.Measure(stream, enqueue, 1, sweepRuns)).MedianUs / 1000.0, device.Name);
        }
        var times = new double[sweepRuns];
        for (var i = 0; i < times.Length; i++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            candidate.Run();
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (Timing.TimingStats.Of(times).MedianUs, "wall");
    }

    private sealed class Sweep
    {
        public ConcurrentDictionary<string, double> Medians { get; } = new();

        public ConcurrentDictionary<string, byte> Timers { get; } = new();
    }
}
