using System.Globalization;

namespace WarmGate.Kernels.Tuning;

/// <summary>How an entry differs between two tables.</summary>
public enum TableChangeKind
{
    /// <summary>The entry is only in the second table.</summary>
    Added,

    /// <summary>The entry is only in the first table.</summary>
    Removed,

    /// <summary>The chosen configuration differs.</summary>
    ConfigChanged,

    /// <summary>Same configuration; its time changed by more than the threshold.</summary>
    TimeChanged,

    /// <summary>Same configuration and time within the threshold, but the kernel version hash differs.</summary>
    KernelHashChanged,
}

/// <summary>One entry's difference between two tables.</summary>
/// <param name="Kind">How it differs (the first of config, time, hash that applies).</param>
/// <param name="Id">The (kernel, key).</param>
/// <param name="Before">The entry in the first table; null when added.</param>
/// <param name="After">The entry in the second table; null when removed.</param>
public sealed record TableChange(TableChangeKind Kind, TuningEntryKey Id, TuningEntry? Before, TuningEntry? After)
{
    /// <summary>The change of the chosen time in percent of the first (<c>+∞</c> from 0); null when added or removed.</summary>
    public double? TimeChangePercent =>
        Before is null || After is null ? null
        : Before.Milliseconds == 0 ? (After.Milliseconds == 0 ? 0 : double.PositiveInfinity)
        : (After.Milliseconds - Before.Milliseconds) / Before.Milliseconds * 100;

    /// <summary>One line: the change and both values, e.g. <c>~ ssd.prefill [P=64]: config Q=64 (0.12 ms) -> Q=128 (0.1 ms)</c>.</summary>
    public override string ToString()
    {
        var head = $"{Id.Kernel} [{Id.Key}]";
        switch (Kind)
        {
            case TableChangeKind.Added:
                return $"+ {head}: added {After!.Config} ({Ms(After.Milliseconds)})";
            case TableChangeKind.Removed:
                return $"- {head}: removed {Before!.Config} ({Ms(Before.Milliseconds)})";
        }
        var text = Kind == TableChangeKind.ConfigChanged
            ? $"~ {head}: config {Before!.Config} ({Ms(Before.Milliseconds)}) -> {After!.Config} ({Ms(After.Milliseconds)})"
            : $"~ {head}: {Before!.Config} time {Ms(Before.Milliseconds)} -> {Ms(After!.Milliseconds)} ({Percent(TimeChangePercent!.Value)})";
        if (Before.KernelHash != After.KernelHash)
            text += $"; kernel hash {Before.KernelHash} -> {After.KernelHash}";
        return text;
    }

    private static string Ms(double milliseconds) => TuningEntry.Format(milliseconds) + " ms";

    private static string Percent(double percent) =>
        double.IsPositiveInfinity(percent) ? "from 0" : percent.ToString("+0.0'%';-0.0'%';0.0'%'", CultureInfo.InvariantCulture);
}
