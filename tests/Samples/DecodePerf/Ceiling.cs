using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Samples.DecodePerf;

/// <summary>Four floats, one 16-byte access.</summary>
public struct Quad
{
    public float X;
    public float Y;
    public float Z;
    public float W;
}

/// <summary>
/// What this machine's memory gives the same traffic with no decode arithmetic: a device-to-device
/// copy, and an ILGPU kernel that scales a buffer in place with 16-byte accesses (the state update's
/// read-modify-write pattern), each counted as bytes read plus bytes written.
/// </summary>
public static class Ceiling
{
    /// <summary>Scales <paramref name="data"/> in place; each thread owns <c>TPer</c> 16-byte vectors, a group's vectors contiguous.</summary>
    public static void ScaleInPlace<TPer>(ArrayView<float> data, float factor)
        where TPer : struct, IConstant
    {
        var per = default(TPer).Value;
        var v = data.Cast<Quad>().AsAligned(16);
        var at = ((long)Grid.IdxX * Group.DimX * per) + Group.IdxX;
        var stride = Group.DimX;
        var q0 = v[at];
        Quad q1 = default, q2 = default, q3 = default;
        if (per > 1) q1 = v[at + stride];
        if (per > 2)
        {
            q2 = v[at + (2 * stride)];
            q3 = v[at + (3 * stride)];
        }
        v[at] = Scale(q0, factor);
        if (per > 1) v[at + stride] = Scale(q1, factor);
        if (per > 2)
        {
            v[at + (2 * stride)] = Scale(q2, factor);
            v[at + (3 * stride)] = Scale(q3, factor);
        }
    }

    private static Quad Scale(Quad q, float f) => new() { X = q.X * f, Y = q.Y * f, Z = q.Z * f, W = q.W * f };

    /// <summary>Times the copy and both in-place kernels on <paramref name="bytes"/> of data; one JSON line each.</summary>
    public static void Measure(Accelerator accelerator, KernelRegistry registry, Json json, long bytes)
    {
        var floats = bytes / 4;
        using var a = accelerator.Allocate1D<float>(floats);
        using var b = accelerator.Allocate1D<float>(floats);
        a.MemSetToZero();
        b.MemSetToZero();
        var stream = accelerator.DefaultStream;
        var copy = Timing.Events(stream, () => a.View.CopyTo(stream, b.View), 3, 20);
        json.Line(("bench", "ceiling"), ("what", "d2d copy"), ("bytes", 2.0 * bytes), ("median_us", Timing.Median(copy)),
            ("gbps", 2.0 * bytes / Timing.Median(copy) / 1e3));
        foreach (var per in new[] { 1, 4 })
        {
            var method = typeof(Ceiling).GetMethod(nameof(ScaleInPlace))!.MakeGenericMethod(TypeConstants.Constant(per));
            var launcher = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>(
                "decodeperf.scale_in_place", method, "bytes=" + bytes, "per=" + per);
            var groups = (int)(floats / 4 / (256 * per));
            var view = a.View.AsContiguous();
            var times = Timing.Events(stream, () => launcher(stream, new KernelConfig(groups, 256), view, 0.999f), 3, 20);
            json.Line(("bench", "ceiling"), ("what", $"ilgpu in-place scale, {per} x 16 B per thread"), ("bytes", 2.0 * groups * 256 * per * 16),
                ("median_us", Timing.Median(times)), ("gbps", 2.0 * groups * 256 * per * 16 / Timing.Median(times) / 1e3));
        }
    }
}
