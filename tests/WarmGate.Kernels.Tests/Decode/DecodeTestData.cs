using WarmGate.Kernels.Numerics;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>Seeded inputs, dtype rounding and the tolerance check shared by the decode tests.</summary>
internal static class DecodeTestData
{
    /// <summary>fp32: 1e-4 of max|ref|; fp16: 2e-2 (the reference is fed the same rounded inputs).</summary>
    public static double Tolerance(Dtype dtype) => dtype == Dtype.F32 ? 1e-4 : 2e-2;

    public static Dtype DtypeOf<T>() => typeof(T) == typeof(float) ? Dtype.F32 : Dtype.F16;

    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="width"/> uniform values in [lo, hi) at
    /// <paramref name="stride"/>; the gaps between rows hold NaN, so a kernel that reads them shows.
    /// </summary>
    public static float[] Rows(Random rng, int rows, int width, int stride, float lo = -1, float hi = 1)
    {
        var data = new float[rows == 0 ? 0 : (rows - 1) * stride + width];
        Array.Fill(data, float.NaN);
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < width; c++)
            data[r * stride + c] = lo + (hi - lo) * rng.NextSingle();
        return data;
    }

    public static float[] Uniform(Random rng, int count, float lo = -1, float hi = 1) => Rows(rng, 1, count, count, lo, hi);

    /// <summary>Converts to the storage type (rounding to fp16 when <typeparamref name="T"/> is Half).</summary>
    public static T[] Store<T>(float[] values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (T[])(object)values.ToArray();
        if (typeof(T) == typeof(Half)) return (T[])(object)values.Select(v => (Half)v).ToArray();
        throw new NotSupportedException(typeof(T).Name);
    }

    public static double[] Load<T>(T[] values)
        where T : unmanaged => values switch
        {
            float[] f => f.Select(v => (double)v).ToArray(),
            Half[] h => h.Select(v => (double)(float)v).ToArray(),
            _ => throw new NotSupportedException(typeof(T).Name),
        };

    /// <summary>The dense rows × width part of a strided tensor.</summary>
    public static double[] Dense(double[] data, int rows, int width, int stride)
    {
        var dense = new double[rows * width];
        for (var r = 0; r < rows; r++)
            Array.Copy(data, r * stride, dense, r * width, width);
        return dense;
    }

    /// <summary>max|actual − expected| ≤ tolerance · max|expected|.</summary>
    public static void ShouldMatch(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double tolerance, string what)
    {
        var check = new ToleranceCheck();
        check.Add(actual.ToArray(), expected.ToArray());
        check.ShouldPass(tolerance, what);
    }
}

/// <summary>Accumulates max|actual − expected| and max|expected| over several segments (no big copies).</summary>
internal sealed class ToleranceCheck
{
    private double scale;
    private double error;
    private double worstActual;
    private double worstExpected;
    private long count;

    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        actual.Length.Should().Be(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            var e = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(e)) e = double.PositiveInfinity;
            if (e > error || count == 0)
            {
                error = Math.Max(error, e);
                worstActual = actual[i];
                worstExpected = expected[i];
            }
            count++;
        }
    }

    public void ShouldPass(double tolerance, string what)
    {
        count.Should().BeGreaterThan(0, $"{what}: nothing was compared");
        scale.Should().BeGreaterThan(0, $"{what}: the reference is all zeros, so the check would be empty");
        error.Should().BeLessThanOrEqualTo(tolerance * scale,
            $"{what}: worst got {worstActual}, expected {worstExpected} (max|ref| {scale}, {count} values)");
    }
}
