using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Collects tuning results into a <see cref="TuningTable"/> (what the autotuner uses). Entries
/// are checked as they are added. Safe to use from several threads.
/// </summary>
public sealed class TuningTableBuilder
{
    private readonly Dictionary<TuningEntryKey, TuningEntry> entries = [];
    private readonly DateTimeOffset? originalCreatedUtc;
    private readonly Lock gate = new();
    private bool changed;

    /// <summary>Starts an empty table.</summary>
    /// <param name="device">The device being tuned.</param>
    /// <param name="ilgpuVersion">The ILGPU version; default <see cref="TuningVersions.Ilgpu"/>.</param>
    /// <param name="warmGateVersion">The WarmGate version; default <see cref="TuningVersions.WarmGate"/>.</param>
    public TuningTableBuilder(DeviceSignature device, string? ilgpuVersion = null, string? warmGateVersion = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        IlgpuVersion = ilgpuVersion ?? TuningVersions.Ilgpu;
        WarmGateVersion = warmGateVersion ?? TuningVersions.WarmGate;
        if (TuningTableRules.HeaderProblem(Device, IlgpuVersion, WarmGateVersion, TuningVersions.CurrentSchema) is { } problem)
            throw new ArgumentException(problem.Message, nameof(device));
    }

    private TuningTableBuilder(TuningTable table)
        : this(table.Device, table.IlgpuVersion, table.WarmGateVersion)
    {
        foreach (var entry in table.Entries) entries.Add(entry.Id, entry);
        originalCreatedUtc = table.CreatedUtc;
    }

    /// <summary>
    /// Starts from an existing table's header and entries. If nothing is added, replaced or
    /// removed, <see cref="Build"/> keeps its creation time, so an unchanged table writes the same bytes.
    /// </summary>
    public static TuningTableBuilder From(TuningTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new TuningTableBuilder(table);
    }

    /// <summary>The device being tuned.</summary>
    public DeviceSignature Device { get; }

    /// <summary>The ILGPU version recorded.</summary>
    public string IlgpuVersion { get; }

    /// <summary>The WarmGate version recorded.</summary>
    public string WarmGateVersion { get; }

    /// <summary>The number of entries so far.</summary>
    public int Count
    {
        get
        {
            lock (gate) return entries.Count;
        }
    }

    /// <summary>Adds an entry.</summary>
    /// <exception cref="ArgumentException">The entry is invalid, or one for its (kernel, key) is already there (use <see cref="Set(TuningEntry)"/> to replace).</exception>
    public TuningTableBuilder Add(TuningEntry entry) => Put(entry, replace: false);

    /// <summary>Adds an entry.</summary>
    /// <param name="kernel">The kernel id.</param>
    /// <param name="kernelHash">The kernel's current version hash.</param>
    /// <param name="key">The tuning key.</param>
    /// <param name="config">The configuration chosen.</param>
    /// <param name="milliseconds">Its median time.</param>
    /// <param name="candidates">Every candidate's time in declaration order (NaN for pruned ones).</param>
    /// <exception cref="ArgumentException">The entry is invalid, or one for its (kernel, key) is already there.</exception>
    public TuningTableBuilder Add(
        string kernel, string kernelHash, string key, string config, double milliseconds, IEnumerable<CandidateTiming>? candidates = null) =>
        Add(new TuningEntry(kernel, kernelHash, key, config, milliseconds, candidates));

    /// <summary>Adds an entry, replacing any for the same (kernel, key).</summary>
    /// <exception cref="ArgumentException">The entry is invalid.</exception>
    public TuningTableBuilder Set(TuningEntry entry) => Put(entry, replace: true);

    /// <summary>Removes the entry for a kernel and key; returns whether there was one.</summary>
    public bool Remove(string kernel, string key)
    {
        lock (gate)
        {
            var removed = entries.Remove(new TuningEntryKey(kernel, key));
            changed |= removed;
            return removed;
        }
    }

    /// <summary>Makes the table.</summary>
    /// <param name="createdUtc">The creation time; default now, or the original table's when built
    /// <see cref="From"/> one and nothing changed.</param>
    public TuningTable Build(DateTimeOffset? createdUtc = null)
    {
        lock (gate)
        {
            var created = createdUtc ?? (!changed && originalCreatedUtc is { } original ? original : DateTimeOffset.UtcNow);
            return new TuningTable(Device, IlgpuVersion, WarmGateVersion, created, entries.Values);
        }
    }

    private TuningTableBuilder Put(TuningEntry entry, bool replace)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Problem is { } problem)
            throw new ArgumentException($"Invalid tuning entry {entry.Id}: {problem}", nameof(entry));
        lock (gate)
        {
            if (!replace && entries.ContainsKey(entry.Id))
                throw new ArgumentException(
                    $"There is already an entry for kernel '{entry.Kernel}' key '{entry.Key}'; use Set to replace it.", nameof(entry));
            if (!entries.TryGetValue(entry.Id, out var old) || !old.Equals(entry))
                changed = true;
            entries[entry.Id] = entry;
        }
        return this;
    }
}
