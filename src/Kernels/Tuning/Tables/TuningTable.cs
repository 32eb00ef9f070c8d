using System.Diagnostics.CodeAnalysis;
using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// A tuning table: the configurations chosen for kernels on one device, with the versions they
/// were measured with. Immutable and always valid; entries are unique per (kernel, key) and kept
/// sorted by kernel, then key (ordinal), the order they are written in.
/// </summary>
/// <remarks>Equality compares content and ignores <see cref="Source"/>.</remarks>
public sealed class TuningTable : IEquatable<TuningTable>
{
    private readonly Dictionary<TuningEntryKey, TuningEntry> byId;

    /// <summary>Creates a table, validating every field and entry.</summary>
    /// <param name="device">The device the entries were measured on.</param>
    /// <param name="ilgpuVersion">The ILGPU version they were measured with (see <see cref="TuningVersions.Ilgpu"/>).</param>
    /// <param name="warmGateVersion">The WarmGate version that wrote the table (see <see cref="TuningVersions.WarmGate"/>).</param>
    /// <param name="createdUtc">When the table was made.</param>
    /// <param name="entries">The entries, in any order.</param>
    /// <param name="schemaVersion">The format version it was read with; 1 to <see cref="TuningVersions.CurrentSchema"/>.</param>
    /// <param name="source">Where the table was read from (a path or resource), for messages; null when made in memory.</param>
    /// <exception cref="ArgumentException">A field or entry is invalid, or two entries share a (kernel, key).</exception>
    public TuningTable(
        DeviceSignature device,
        string ilgpuVersion,
        string warmGateVersion,
        DateTimeOffset createdUtc,
        IEnumerable<TuningEntry> entries,
        int schemaVersion = TuningVersions.CurrentSchema,
        string? source = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(ilgpuVersion);
        ArgumentNullException.ThrowIfNull(warmGateVersion);
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        var problem = TuningTableRules.HeaderProblem(device, ilgpuVersion, warmGateVersion, schemaVersion)
            ?? TuningTableRules.EntriesProblem(list);
        if (problem is not null)
            throw new ArgumentException(problem.Value.Message, nameof(entries));

        Device = device;
        IlgpuVersion = ilgpuVersion;
        WarmGateVersion = warmGateVersion;
        CreatedUtc = createdUtc.ToUniversalTime();
        SchemaVersion = schemaVersion;
        Source = source;
        list.Sort((a, b) => a.Id.CompareTo(b.Id));
        Entries = list.AsReadOnly();
        byId = list.ToDictionary(e => e.Id);
    }

    /// <summary>The format version the table was read with (tables made in memory have the current one).</summary>
    public int SchemaVersion { get; }

    /// <summary>The device the entries were measured on.</summary>
    public DeviceSignature Device { get; }

    /// <summary>The ILGPU version the entries were measured with.</summary>
    public string IlgpuVersion { get; }

    /// <summary>The WarmGate version that wrote the table.</summary>
    public string WarmGateVersion { get; }

    /// <summary>When the table was made (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; }

    /// <summary>Where the table was read from, for messages and reports; null when made in memory. Not written.</summary>
    public string? Source { get; }

    /// <summary>The entries, sorted by kernel, then key (ordinal).</summary>
    public IReadOnlyList<TuningEntry> Entries { get; }

    /// <summary><see cref="Source"/>, or <c>(in memory)</c>.</summary>
    public string SourceOrDefault => Source ?? "(in memory)";

    /// <summary>Finds the entry for a kernel and key.</summary>
    public bool TryGetEntry(string kernel, string key, [NotNullWhen(true)] out TuningEntry? entry) =>
        byId.TryGetValue(new TuningEntryKey(kernel, key), out entry);

    /// <summary>The same table with another <see cref="Source"/>.</summary>
    public TuningTable WithSource(string? source) =>
        new(Device, IlgpuVersion, WarmGateVersion, CreatedUtc, Entries, SchemaVersion, source);

    /// <summary>The same header with other entries.</summary>
    public TuningTable WithEntries(IEnumerable<TuningEntry> entries) =>
        new(Device, IlgpuVersion, WarmGateVersion, CreatedUtc, entries, SchemaVersion, Source);

    /// <summary>Whether the content (everything but <see cref="Source"/>) is equal.</summary>
    public bool Equals(TuningTable? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && Device == other.Device
        && IlgpuVersion == other.IlgpuVersion
        && WarmGateVersion == other.WarmGateVersion
        && CreatedUtc == other.CreatedUtc
        && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TuningTable);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Device, IlgpuVersion, CreatedUtc, Entries.Count);

    /// <inheritdoc/>
    public override string ToString() =>
        $"tuning table {SourceOrDefault}: {Device}, ILGPU {IlgpuVersion}, {Entries.Count} entries";
}
