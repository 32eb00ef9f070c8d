using System.Diagnostics.CodeAnalysis;

namespace WarmGate.Kernels.Tuning;

/// <summary>Where the autotuner looks for configurations chosen earlier (tuning tables).</summary>
public interface ITuningSource
{
    /// <summary>Finds the stored entry for a kernel and key.</summary>
    /// <param name="kernel">The kernel id.</param>
    /// <param name="key">The tuning key.</param>
    /// <param name="entry">The stored entry.</param>
    /// <param name="source">Where it came from (file or resource name), for events.</param>
    bool TryGet(string kernel, string key, [NotNullWhen(true)] out TuningEntry? entry, out string source);
}

/// <summary>The usable entries of matched tuning tables as a source for the autotuner.</summary>
public sealed class MatchedTableSource(TableMatchResult match) : ITuningSource
{
    /// <inheritdoc/>
    public bool TryGet(string kernel, string key, [NotNullWhen(true)] out TuningEntry? entry, out string source)
    {
        if (match.Used.TryGetValue(new TuningEntryKey(kernel, key), out var matched))
        {
            entry = matched.Entry;
            source = matched.Table.SourceOrDefault;
            return true;
        }
        entry = null;
        source = string.Empty;
        return false;
    }
}
