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

    /// <summary>
    /// Measures <paramref name="candidate"/> as <see cref="MedianMilliseconds(string, Action, int, int)"/>
    /// does; timers that can measure device time use its enqueue form. The autotuner calls this
    /// one. By default it times the synchronous run.
    /// </summary>
    /// <param name="candidate">The candidate, with its enqueue form when it has one.</param>
    /// <param name="warmups">Untimed runs first.</param>
    /// <param name="repetitions">Timed runs.</param>
    double MedianMilliseconds(CandidateRun candidate, int warmups, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return MedianMilliseconds(candidate.Config, candidate.Run, warmups, repetitions);
    }
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
        return Median.Of(times);
    }
}

/// <summary>
/// The autotuner's default timer: device time from <see cref="DeviceTimer"/> (CUDA events or
/// profiling markers) when the candidate can be enqueued on a stream of a device that has a
/// device clock; otherwise wall-clock timing of the synchronous run, as <see cref="StopwatchTimer"/>
/// (the CPU accelerator, and tunables without an enqueue form).
/// </summary>
public sealed class DeviceCandidateTimer : ICandidateTimer
{
    private readonly StopwatchTimer wall = new();

    /// <inheritdoc/>
    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions) =>
        wall.MedianMilliseconds(config, run, warmups, repetitions);

    /// <inheritdoc/>
    public double MedianMilliseconds(CandidateRun candidate, int warmups, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate is { Stream: { } stream, Enqueue: { } enqueue })
        {
            var timer = DeviceTimer.For(stream.Accelerator);
            if (timer.IsDeviceTime)
                return Median.Of(timer.Measure(stream, enqueue, warmups, Math.Max(1, repetitions))) / 1000.0;
        }
        return wall.MedianMilliseconds(candidate.Config, candidate.Run, warmups, repetitions);
    }
}
