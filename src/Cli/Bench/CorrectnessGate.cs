using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Cli.Bench;

/// <summary>
/// Whether a kernel's output is close enough to its float64 reference to report its time:
/// the largest absolute error of each tensor, relative to that tensor's max|reference|, must
/// not exceed the tolerance of the input dtype. A NaN or infinity in the output always fails.
/// </summary>
internal static class CorrectnessGate
{
    /// <summary>fp32: 1e-3 of max|ref| (an exact-fp32 port reaches about 1e-5); fp16: 2e-2.</summary>
    public static double Tolerance(Dtype dtype) => dtype == Dtype.F32 ? 1e-3 : 2e-2;

    /// <summary>
    /// max|actual − expected| / max|expected| over one tensor; +∞ when an output is not finite,
    /// the absolute error when the reference is all zeros.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException(
                $"The output has {actual.Length} elements but the reference has {expected.Length}.", nameof(actual));
        double worst = 0, scale = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (!float.IsFinite(actual[i])) return double.PositiveInfinity;
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return scale > 0 ? worst / scale : worst;
    }

    /// <summary>Judges several output tensors (e.g. y and the final states): the worst one counts.</summary>
    /// <param name="tolerance">The largest relative error allowed.</param>
    /// <param name="tensors">Each tensor's name, kernel output and float64 reference.</param>
    public static GateVerdict Check(double tolerance, params (string Name, float[] Actual, double[] Expected)[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("At least one tensor is needed.", nameof(tensors));
        var worst = double.NegativeInfinity;
        var worstName = tensors[0].Name;
        foreach (var (name, actual, expected) in tensors)
        {
            var error = MaxRelativeError(actual, expected);
            if (!double.IsNaN(worst) && (double.IsNaN(error) || error > worst))
            {
                worst = error;
                worstName = name;
            }
        }
        return new GateVerdict(worst, tolerance, worstName);
    }

    /// <summary>
    /// Reports a result only if it is correct: when <paramref name="verdict"/> passed, runs
    /// <paramref name="time"/> and writes its stats and the error into <paramref name="line"/>;
    /// otherwise writes <c>refused</c>, the reason and the error, and never times the kernel.
    /// Field names get <paramref name="prefix"/> (e.g. <c>default_</c>).
    /// </summary>
    /// <returns>The stats, or null when refused.</returns>
    public static TimingStats? TimeIfCorrect(BenchLine line, GateVerdict verdict, Func<TimingStats> time, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(time);
        if (!verdict.Passed)
        {
            line.Add(prefix + "refused", true)
                .Add(prefix + "reason", verdict.Reason)
                .Add(prefix + "max_rel_err", verdict.MaxRelativeError);
            return null;
        }
        var stats = time();
        stats.WriteTo(line, prefix);
        line.Add(prefix + "max_rel_err", verdict.MaxRelativeError);
        return stats;
    }
}

/// <summary>The outcome of <see cref="CorrectnessGate.Check"/>.</summary>
/// <param name="MaxRelativeError">The worst tensor's relative error.</param>
/// <param name="Tolerance">The limit it was judged against.</param>
/// <param name="WorstTensor">Which tensor was worst.</param>
internal sealed record GateVerdict(double MaxRelativeError, double Tolerance, string WorstTensor)
{
    /// <summary>Whether the output may be reported: the error is a number within the tolerance.</summary>
    public bool Passed => MaxRelativeError <= Tolerance;

    /// <summary>Why the output is refused (for the JSON line and stderr).</summary>
    public string Reason => Passed
        ? string.Empty
        : $"{WorstTensor} differs from the float64 reference by {MaxRelativeError:G3} of max|ref|, above the tolerance {Tolerance:G3}";
}
