namespace WarmGate.Cli.Bench.Timing;

/// <summary>Summary of repeated timings: median and 10th/90th percentiles in microseconds.</summary>
/// <param name="MedianUs">The median.</param>
/// <param name="P10Us">The 10th percentile.</param>
/// <param name="P90Us">The 90th percentile.</param>
/// <param name="Runs">How many timed runs.</param>
internal sealed record TimingStats(double MedianUs, double P10Us, double P90Us, int Runs)
{
    /// <summary>Summarises samples (microseconds); linear interpolation between ranks.</summary>
    /// <exception cref="ArgumentException">No samples, or one is not a finite number.</exception>
    public static TimingStats Of(IReadOnlyCollection<double> samplesUs)
    {
        ArgumentNullException.ThrowIfNull(samplesUs);
        if (samplesUs.Count == 0) throw new ArgumentException("At least one timing sample is needed.", nameof(samplesUs));
        if (samplesUs.Any(s => !double.IsFinite(s)))
            throw new ArgumentException("Timing samples must be finite numbers.", nameof(samplesUs));
        var sorted = samplesUs.Order().ToArray();
        return new TimingStats(Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9), sorted.Length);
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between neighbouring ranks.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var rank = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    /// <summary>Writes the stats into a line, each field name prefixed with <paramref name="prefix"/>.</summary>
    public void WriteTo(BenchLine line, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Add(prefix + "median_us", MedianUs)
            .Add(prefix + "p10_us", P10Us)
            .Add(prefix + "p90_us", P90Us)
            .Add(prefix + "runs", Runs);
    }
}
