using System.Diagnostics;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Wall time of each run or segment: the stream is synchronised at every mark, so a segment
/// includes its launch overhead and the wait (the CPU accelerator has no device clock).
/// </summary>
internal sealed class WallTimer : DeviceTimer
{
    /// <inheritdoc/>
    public override string Name => "wall";

    /// <inheritdoc/>
    public override bool IsDeviceTime => false;

    /// <inheritdoc/>
    protected override void TimeSegments(AcceleratorStream stream, Action<Action> enqueue, double[][] samples)
    {
        var segments = samples[0].Length;
        foreach (var sample in samples)
        {
            var marked = 0;
            var last = Stopwatch.GetTimestamp();
            enqueue(() =>
            {
                if (marked == segments) throw MarkCountMismatch(segments, "more");
                stream.Synchronize();
                var now = Stopwatch.GetTimestamp();
                sample[marked++] = Stopwatch.GetElapsedTime(last, now).TotalMicroseconds;
                last = now;
            });
            if (marked != segments) throw MarkCountMismatch(segments, marked.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
