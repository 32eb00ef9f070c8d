using ILGPU.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Device time between ILGPU profiling markers added to the stream at the start of each run and
/// at each mark. Needs a context built with <c>Profiling()</c>.
/// </summary>
internal sealed class ProfilingMarkerTimer : DeviceTimer
{
    /// <inheritdoc/>
    public override string Name => "events";

    /// <inheritdoc/>
    public override bool IsDeviceTime => true;

    /// <inheritdoc/>
    protected override void TimeSegments(AcceleratorStream stream, Action<Action> enqueue, double[][] samples)
    {
        var segments = samples[0].Length;
        foreach (var sample in samples)
        {
            var markers = new List<ProfilingMarker>(segments + 1);
            try
            {
                markers.Add(stream.AddProfilingMarker());
                enqueue(() =>
                {
                    if (markers.Count > segments) throw MarkCountMismatch(segments, "more");
                    markers.Add(stream.AddProfilingMarker());
                });
                if (markers.Count != segments + 1)
                    throw MarkCountMismatch(segments, (markers.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                for (var s = 0; s < segments; s++)
                    sample[s] = markers[s + 1].MeasureFrom(markers[s]).TotalMicroseconds;
            }
            finally
            {
                foreach (var marker in markers) marker.Dispose();
            }
        }
    }
}
