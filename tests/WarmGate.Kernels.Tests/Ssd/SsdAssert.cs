namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>Tolerance checks against a float64 reference, relative to the reference's largest magnitude.</summary>
internal static class SsdAssert
{
    /// <summary>fp32 inputs: max error at most 1e-4 of max|ref|.</summary>
    public const double F32 = 1e-4;

    /// <summary>fp32 inputs on TF32 tensor-core products: max error at most 1e-3 of max|ref| (the bench's fp32 gate).</summary>
    public const double Tf32 = 1e-3;

    /// <summary>fp16 inputs or states: max error at most 2e-2 of max|ref|.</summary>
    public const double F16 = 2e-2;

    /// <summary>The largest |actual − expected| divided by max|expected|.</summary>
    public static double RelativeError(IReadOnlyList<float> actual, IReadOnlyList<double> expected, out int worst)
    {
        actual.Should().HaveCount(expected.Count);
        double scale = 0, error = 0;
        worst = -1;
        for (var i = 0; i < expected.Count; i++)
            scale = Math.Max(scale, Math.Abs(expected[i]));
        for (var i = 0; i < expected.Count; i++)
        {
            var e = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(e)) e = double.PositiveInfinity;
            if (e > error || worst < 0)
            {
                error = Math.Max(error, e);
                worst = i;
            }
        }
        return scale == 0 ? error : error / scale;
    }

    /// <summary>Asserts the relative max error is within <paramref name="tolerance"/> and the reference is not trivially zero.</summary>
    public static void Close(IReadOnlyList<float> actual, IReadOnlyList<double> expected, double tolerance, string what)
    {
        var relative = RelativeError(actual, expected, out var worst);
        expected.Max(Math.Abs).Should().BeGreaterThan(0, $"{what}: the reference should not be all zeros");
        relative.Should().BeLessThanOrEqualTo(
            tolerance,
            $"{what}: worst element {worst} is {actual[worst]} against {expected[worst]} (tolerance {tolerance} of max|ref|)");
    }

    /// <summary>Asserts two float64 arrays agree to <paramref name="tolerance"/> of max|expected|.</summary>
    public static void Close(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double tolerance, string what)
    {
        actual.Should().HaveCount(expected.Count);
        double scale = 0, error = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        }
        scale.Should().BeGreaterThan(0, $"{what}: the reference should not be all zeros");
        (error / scale).Should().BeLessThanOrEqualTo(tolerance, what);
    }
}
