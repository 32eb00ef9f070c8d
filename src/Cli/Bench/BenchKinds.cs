namespace WarmGate.Cli.Bench;

/// <summary>The benchmarks <c>warmgate bench</c> runs, by the names <c>--only</c> takes.</summary>
internal static class BenchKinds
{
    /// <summary>The SSD prefill at model sizes: time, GB/s, TFLOP/s, tuned against default config.</summary>
    public const string SsdPrefill = "ssd-prefill";

    /// <summary>The SSD prefill's time per stage (setup and each kernel), for the tuned, the default and every candidate config.</summary>
    public const string SsdStages = "ssd-stages";

    /// <summary>The decode state update at several batch sizes: time and GB/s.</summary>
    public const string Decode = "decode";

    /// <summary>Load and warmup with tuning against with a table; first request against steady requests.</summary>
    public const string Startup = "startup";

    /// <summary>The tuner's choice against an exhaustive sweep of every candidate.</summary>
    public const string TuningQuality = "tuning-quality";

    /// <summary>The line that describes the run (device, versions, settings); always written first.</summary>
    public const string Environment = "env";

    /// <summary>Every benchmark, in the order they run.</summary>
    public static IReadOnlyList<string> All { get; } = [SsdPrefill, SsdStages, Decode, Startup, TuningQuality];

    /// <summary>
    /// Parses <c>--only</c>: a comma-separated list of names (any order, duplicates ignored);
    /// null or empty means all. The result keeps the order of <see cref="All"/>.
    /// </summary>
    /// <exception cref="CliException">A name is not a benchmark.</exception>
    public static IReadOnlyList<string> Parse(string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return All;
        var names = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => !All.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new CliException(
                $"--only: unknown benchmark {string.Join(", ", unknown.Select(u => $"'{u}'"))}; choose from {string.Join(", ", All)}.");
        return All.Where(k => names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToArray();
    }
}
