using System.Globalization;
using System.Text;

namespace WarmGate.Kernels.Tuning;

/// <summary>Formats a tuning table for people: its header, then one line per entry.</summary>
public static class TableShow
{
    /// <summary>
    /// The table as text: source, device, versions and creation time, then one aligned line
    /// per entry with kernel, key, chosen config and time, the runner-up and how much slower
    /// it is, the number of pruned candidates and the kernel hash's first 12 characters.
    /// </summary>
    public static string Format(TuningTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.Append("Tuning table ").Append(table.SourceOrDefault).Append('\n');
        text.Append("  device:   ").Append(table.Device).Append('\n');
        text.Append("  versions: schema ").Append(table.SchemaVersion)
            .Append(", ILGPU ").Append(table.IlgpuVersion)
            .Append(", WarmGate ").Append(table.WarmGateVersion).Append('\n');
        text.Append("  created:  ").Append(table.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("  entries:  ").Append(table.Entries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (table.Entries.Count == 0) return text.ToString();

        string[] header = ["kernel", "key", "config", "ms", "runner-up", "pruned", "hash"];
        var rows = new List<string[]> { header };
        rows.AddRange(table.Entries.Select(Row));
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        text.Append('\n');
        foreach (var row in rows)
        {
            text.Append("  ");
            for (var c = 0; c < row.Length; c++)
            {
                var cell = c == 3 || c == 5 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]);
                text.Append(cell);
                if (c < row.Length - 1) text.Append("  ");
            }
            TrimEnd(text);
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string[] Row(TuningEntry e)
    {
        var runnerUp = e.RunnerUp is { } r
            ? $"{r.Config} {TuningEntry.Format(r.Milliseconds)} ms ({Slower(e.Milliseconds, r.Milliseconds)})"
            : "-";
        var pruned = e.Candidates.Count(c => double.IsNaN(c.Milliseconds));
        var hash = e.KernelHash.Length > 12 ? e.KernelHash[..12] : e.KernelHash;
        return [e.Kernel, e.Key, e.Config, TuningEntry.Format(e.Milliseconds), runnerUp, pruned.ToString(CultureInfo.InvariantCulture), hash];
    }

    /// <summary>How much slower <paramref name="other"/> is than <paramref name="chosen"/>, as <c>+5.3%</c>.</summary>
    internal static string Slower(double chosen, double other) =>
        chosen > 0
            ? ((other - chosen) / chosen * 100).ToString("+0.0'%';-0.0'%';0.0'%'", CultureInfo.InvariantCulture)
            : "n/a";

    private static void TrimEnd(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ') text.Length--;
    }
}
