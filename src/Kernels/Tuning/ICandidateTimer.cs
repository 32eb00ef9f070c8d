using System.Diagnostics;

namespace WarmGate.Kernels.Tuning;

/// <summary>How the autotuner measures one candidate. Tests inject a fake to make tuning deterministic.</summary>
public interface ICandidateTimer
{
    /// <summary>
    /// Runs <paramref name="run"/> <paramref name="warmups"/> times untimed, then
    /// <paramref name="repetitions"/> times timed, and returns the median in milliseconds.
    /// </summary>
    /// <param name="config">The candidate being measured (fakes key their answers on it).</param>
    /// <param name="run">One synchronous run of the candidate.</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="repetitions">Timed runs.</param>
    double MedianMilliseconds(string config, Action run, int warmups, int repetitions);
}

/// <summary>Wall-clock timing of synchronous runs (each run waits for the device).</summary>
public sealed class StopwatchTimer : ICandidateTimer
{
    /// <inheritdoc/>
    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var i = 0; i < warmups; i++)
            run();
        var times = new double[Math.Max(1, repetitions)];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times.Length % 2 == 1
            ? times[times.Length / 2]
            : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
    }
}
