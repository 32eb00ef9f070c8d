using System.Diagnostics.CodeAnalysis;

namespace WarmGate.Kernels.Tuning;

/// <summary>An entry that is used, with the table it came from.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Table">The table it came from (its <see cref="TuningTable.Source"/> says where that was).</param>
public sealed record MatchedEntry(TuningEntry Entry, TuningTable Table);

/// <summary>
/// What <see cref="TableMatcher"/> decided: the usable entries by (kernel, key), the rejected
/// ones with reasons, and the usable ones an earlier table overrode.
/// </summary>
public sealed class TableMatchResult
{
    private readonly Dictionary<TuningEntryKey, MatchedEntry> used;

    internal TableMatchResult(
        Dictionary<TuningEntryKey, MatchedEntry> used,
        IReadOnlyList<TableRejection> rejected,
        IReadOnlyList<MatchedEntry> shadowed,
        IReadOnlyList<TuningTable> tables)
    {
        this.used = used;
        Rejected = rejected;
        Shadowed = shadowed;
        Tables = tables;
    }

    /// <summary>The usable entries by (kernel, key), each with its table.</summary>
    public IReadOnlyDictionary<TuningEntryKey, MatchedEntry> Used => used;

    /// <summary>The entries not used, in table order then entry order; each was published as a <c>TableEntryRejected</c> event.</summary>
    public IReadOnlyList<TableRejection> Rejected { get; }

    /// <summary>Usable entries not used because an earlier table has the same (kernel, key).</summary>
    public IReadOnlyList<MatchedEntry> Shadowed { get; }

    /// <summary>The tables matched, in precedence order.</summary>
    public IReadOnlyList<TuningTable> Tables { get; }

    /// <summary>Finds the usable entry for a kernel and key.</summary>
    public bool TryGetEntry(string kernel, string key, [NotNullWhen(true)] out TuningEntry? entry)
    {
        entry = used.TryGetValue(new TuningEntryKey(kernel, key), out var match) ? match.Entry : null;
        return entry is not null;
    }
}
