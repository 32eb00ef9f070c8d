using System.Diagnostics;
using ILGPU.Runtime;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>Wall time of each run: enqueue, then wait for the stream (includes launch overhead and the wait).</summary>
internal sealed class WallTimer : KernelTimer
{
    /// <inheritdoc/>
    public override string Name => "wall";

    /// <inheritdoc/>
    protected override void TimeRuns(AcceleratorStream stream, Action enqueue, double[] samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            enqueue();
            stream.Synchronize();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
    }
}
