using System.Text;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Combines tables: tables of different devices stay separate (one result per device); tables
/// of the same device (driver ignored) become one. Two entries for one (kernel, key) that
/// choose different configs or have different kernel hashes conflict; conflicts are refused
/// unless a <see cref="MergePreference"/> resolves them. Entries with the same config and hash
/// are not a conflict (the earlier is kept, or the faster with <see cref="MergePreference.Faster"/>,
/// the later with <see cref="MergePreference.Second"/>).
/// </summary>
public static class TableMerge
{
    /// <summary>Merges tables.</summary>
    /// <param name="tables">The tables, in order (which is "first" and "second" for the preference).</param>
    /// <param name="prefer">How to resolve conflicts; <see cref="MergePreference.Refuse"/> throws instead.</param>
    /// <returns>One table per device, in order of each device's first appearance. A device with one table gets it unchanged.
    /// A merged table has the first table's device signature, the latest creation time, the common WarmGate version
    /// (or the current one when they differ) and no source.</returns>
    /// <exception cref="TableMergeException">Conflicts and <paramref name="prefer"/> is <see cref="MergePreference.Refuse"/>
    /// (the message lists kernel, key and both configs of each); or tables of one device have different ILGPU versions.</exception>
    public static IReadOnlyList<TuningTable> Merge(IEnumerable<TuningTable> tables, MergePreference prefer = MergePreference.Refuse)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var list = tables.ToList();
        if (list.Any(t => t is null))
            throw new ArgumentException("The list of tables contains null.", nameof(tables));

        var groups = new List<List<TuningTable>>();
        foreach (var table in list)
        {
            var group = groups.Find(g => g[0].Device.SameDevice(table.Device));
            if (group is null) groups.Add([table]);
            else group.Add(table);
        }

        var conflicts = new List<TableConflict>();
        var merged = groups.Select(g => g.Count == 1 ? g[0] : MergeDevice(g, prefer, conflicts)).ToList();
        if (conflicts.Count > 0)
        {
            var message = new StringBuilder()
                .Append("Cannot merge: ").Append(conflicts.Count).Append(" (kernel, key) pair(s) have different tuning results in tables of the same device. ")
                .Append("Choose with a preference (first, second or faster), or drop one table:");
            foreach (var c in conflicts) message.Append("\n  ").Append(c);
            throw new TableMergeException(message.ToString(), conflicts);
        }
        return merged;
    }

    private static TuningTable MergeDevice(List<TuningTable> group, MergePreference prefer, List<TableConflict> conflicts)
    {
        var first = group[0];
        var other = group.Find(t => t.IlgpuVersion != first.IlgpuVersion);
        if (other is not null)
            throw new TableMergeException(
                $"Cannot merge tables of {first.Device} measured with different ILGPU versions: {first.SourceOrDefault} (ILGPU {first.IlgpuVersion}) "
                + $"and {other.SourceOrDefault} (ILGPU {other.IlgpuVersion}). Entries of one would be applied under the other's version; "
                + "drop the older table or re-tune it.",
                []);

        var entries = new Dictionary<TuningEntryKey, (TuningEntry Entry, TuningTable Table)>();
        foreach (var table in group)
        {
            foreach (var entry in table.Entries)
            {
                if (!entries.TryGetValue(entry.Id, out var kept))
                {
                    entries.Add(entry.Id, (entry, table));
                    continue;
                }
                var conflict = kept.Entry.Config != entry.Config || kept.Entry.KernelHash != entry.KernelHash;
                if (conflict && prefer == MergePreference.Refuse)
                {
                    conflicts.Add(new TableConflict(kept.Entry, kept.Table.SourceOrDefault, entry, table.SourceOrDefault));
                    continue;
                }
                var takeLater = prefer switch
                {
                    MergePreference.Second => true,
                    MergePreference.Faster => entry.Milliseconds < kept.Entry.Milliseconds,
                    _ => false,
                };
                if (takeLater) entries[entry.Id] = (entry, table);
            }
        }

        var versions = group.Select(t => t.WarmGateVersion).Distinct().ToList();
        return new TuningTable(
            first.Device,
            first.IlgpuVersion,
            versions.Count == 1 ? versions[0] : TuningVersions.WarmGate,
            group.Max(t => t.CreatedUtc),
            entries.Values.Select(v => v.Entry));
    }
}
