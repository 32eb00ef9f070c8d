using System.Globalization;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Harness;

/// <summary>Describes, for the report, the tuning tables a <see cref="Mamba2Target"/> used and what warmup tuned itself.</summary>
internal static class Mamba2TableUses
{
    /// <summary>The origin of a table read from the file named by <c>WARMGATE_TUNING_TABLE</c>.</summary>
    public const string FromEnvironment = TuningTableSources.EnvironmentVariable;

    /// <summary>The origin of a table embedded in an assembly.</summary>
    public const string Embedded = "embedded";

    /// <summary>The origin of the configurations warmup measured itself.</summary>
    public const string TunedAtWarmup = "tuned at warmup";

    /// <summary>One row per table matched: its source, where it was found, and what was used of it and why not the rest.</summary>
    public static IReadOnlyList<TuningTableUse> Of(TableMatchResult match, IReadOnlyList<(TuningTable Table, string Origin)> found)
    {
        var rows = new List<TuningTableUse>();
        foreach (var table in match.Tables)
        {
            var origin = found.FirstOrDefault(f => ReferenceEquals(f.Table, table)).Origin ?? Embedded;
            var used = match.Used.Values.Count(m => ReferenceEquals(m.Table, table));
            var rejected = match.Rejected.Where(r => ReferenceEquals(r.Table, table))
                .GroupBy(r => r.Code).Select(g => $"{g.Count()} {g.Key}").ToList();
            var shadowed = match.Shadowed.Count(m => ReferenceEquals(m.Table, table));
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{table.Device}; {used} of {table.Entries.Count} entries used");
            if (rejected.Count > 0) text += $", rejected: {string.Join(", ", rejected)}";
            if (shadowed > 0) text += string.Create(CultureInfo.InvariantCulture, $", {shadowed} overridden by an earlier table");
            text += $"; measured with ILGPU {table.IlgpuVersion}, written by WarmGate {table.WarmGateVersion}";
            rows.Add(new TuningTableUse(table.SourceOrDefault, origin, text));
        }
        return rows;
    }

    /// <summary>The keys warmup tuned because no table covered them, or null when it tuned none.</summary>
    public static TuningTableUse? Of(WarmupReport warmup, string howHard)
    {
        var tuned = warmup.Events.Where(e => e.Kind == KernelEventKind.Tuned).ToList();
        if (tuned.Count == 0) return null;
        var keys = string.Join("; ", tuned.Select(e => $"{e.Kernel} [{e.Key}] -> {e.Config}"));
        return new TuningTableUse("warmup", TunedAtWarmup, string.Create(CultureInfo.InvariantCulture,
            $"{tuned.Count} key(s) no table covered, tuned {howHard}: {keys}"));
    }
}
