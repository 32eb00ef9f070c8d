using System.Diagnostics;
using ILGPU.Runtime;

namespace WarmGate.Cli.Bench.Timing;

/// <summary>Wall time of each run: enqueue, then wait for the stream (includes launch overhead and the wait).</summary>
internal sealed class WallTimer : IKernelTimer
{
    /// <inheritdoc/>
    public string Name => "wall";

    /// <inheritdoc/>
    public double[] Measure(AcceleratorStream stream, Action enqueue, int warmups, int runs)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        for (var i = 0; i < warmups; i++)
        {
            enqueue();
            stream.Synchronize();
        }
        stream.Synchronize();
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            enqueue();
            stream.Synchronize();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return samples;
    }
}
