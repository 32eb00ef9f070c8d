namespace WarmGate.Kernels.Tuning;

/// <summary>The median of timing samples.</summary>
internal static class Median
{
    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count); sorts a copy.</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("The median of no values is undefined.", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
