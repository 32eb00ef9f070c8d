using System.Globalization;
using System.Text;

namespace WarmGate.Kernels.Tuning;

/// <summary>What differs between two tables.</summary>
public sealed class TableDiffResult
{
    internal TableDiffResult(TuningTable before, TuningTable after, IReadOnlyList<string> headerChanges, IReadOnlyList<TableChange> changes, int unchanged)
    {
        Before = before;
        After = after;
        HeaderChanges = headerChanges;
        Changes = changes;
        Unchanged = unchanged;
    }

    /// <summary>The first table.</summary>
    public TuningTable Before { get; }

    /// <summary>The second table.</summary>
    public TuningTable After { get; }

    /// <summary>Differences of device, driver, ILGPU or WarmGate version, each <c>what: before -> after</c>.</summary>
    public IReadOnlyList<string> HeaderChanges { get; }

    /// <summary>The entries that differ, sorted by kernel, then key.</summary>
    public IReadOnlyList<TableChange> Changes { get; }

    /// <summary>The number of entries in both tables that do not differ (time within the threshold).</summary>
    public int Unchanged { get; }

    /// <summary>Whether nothing differs beyond the threshold.</summary>
    public bool IsEmpty => HeaderChanges.Count == 0 && Changes.Count == 0;

    /// <summary>The difference as text, one line per change, then a count line.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(Before.SourceOrDefault).Append('\n');
        text.Append("+++ ").Append(After.SourceOrDefault).Append('\n');
        foreach (var h in HeaderChanges) text.Append("! ").Append(h).Append('\n');
        foreach (var c in Changes) text.Append(c).Append('\n');
        int Count(TableChangeKind k) => Changes.Count(c => c.Kind == k);
        text.Append(CultureInfo.InvariantCulture,
            $"{Count(TableChangeKind.Added)} added, {Count(TableChangeKind.Removed)} removed, {Count(TableChangeKind.ConfigChanged)} config changed, ")
            .Append(CultureInfo.InvariantCulture,
            $"{Count(TableChangeKind.TimeChanged)} time changed, {Count(TableChangeKind.KernelHashChanged)} hash changed, {Unchanged} unchanged\n");
        return text.ToString();
    }
}

/// <summary>Compares two tuning tables entry by entry.</summary>
public static class TableDiff
{
    /// <summary>The default time change (in percent) below which a time is considered unchanged.</summary>
    public const double DefaultThresholdPercent = 10;

    /// <summary>Compares two tables (which may be of different devices).</summary>
    /// <param name="before">The first table.</param>
    /// <param name="after">The second table.</param>
    /// <param name="thresholdPercent">A time change of at most this many percent of the first time is not reported.</param>
    public static TableDiffResult Compare(TuningTable before, TuningTable after, double thresholdPercent = DefaultThresholdPercent)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!double.IsFinite(thresholdPercent) || thresholdPercent < 0)
            throw new ArgumentOutOfRangeException(nameof(thresholdPercent), thresholdPercent, "The threshold must be a finite percentage >= 0.");

        var headers = new List<string>();
        if (!before.Device.SameDevice(after.Device))
            headers.Add($"device: {before.Device} -> {after.Device}");
        else if (before.Device.Driver != after.Device.Driver)
            headers.Add($"driver: {Show(before.Device.Driver)} -> {Show(after.Device.Driver)}");
        if (before.IlgpuVersion != after.IlgpuVersion)
            headers.Add($"ILGPU version: {before.IlgpuVersion} -> {after.IlgpuVersion}");
        if (before.WarmGateVersion != after.WarmGateVersion)
            headers.Add($"WarmGate version: {before.WarmGateVersion} -> {after.WarmGateVersion}");

        var changes = new List<TableChange>();
        var unchanged = 0;
        foreach (var b in before.Entries)
        {
            if (!after.TryGetEntry(b.Kernel, b.Key, out var a))
            {
                changes.Add(new TableChange(TableChangeKind.Removed, b.Id, b, null));
                continue;
            }
            var change = new TableChange(TableChangeKind.ConfigChanged, b.Id, b, a);
            if (a.Config != b.Config)
                changes.Add(change);
            else if (Math.Abs(change.TimeChangePercent!.Value) > thresholdPercent)
                changes.Add(change with { Kind = TableChangeKind.TimeChanged });
            else if (a.KernelHash != b.KernelHash)
                changes.Add(change with { Kind = TableChangeKind.KernelHashChanged });
            else
                unchanged++;
        }
        foreach (var a in after.Entries)
        {
            if (!before.TryGetEntry(a.Kernel, a.Key, out _))
                changes.Add(new TableChange(TableChangeKind.Added, a.Id, null, a));
        }
        changes.Sort((x, y) => x.Id.CompareTo(y.Id));
        return new TableDiffResult(before, after, headers, changes, unchanged);
    }

    private static string Show(string driver) => driver.Length == 0 ? "(none)" : driver;
}
