using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Decides which tuning table entries apply here: an entry is used only when its table was
/// measured on the same device (driver ignored) with the same ILGPU version, and its kernel is
/// known here with the same version hash. Every entry not used is published as a
/// <see cref="KernelEventKind.TableEntryRejected"/> event, never dropped silently.
/// </summary>
public sealed class TableMatcher
{
    private readonly Func<string, string?> kernelHash;

    /// <summary>Creates a matcher for the current device and versions.</summary>
    /// <param name="device">The device running now.</param>
    /// <param name="ilgpuVersion">The ILGPU version running now (usually <see cref="TuningVersions.Ilgpu"/>).</param>
    /// <param name="kernelHash">The current version hash of a kernel id, or null when no such kernel is known.</param>
    /// <param name="runtime">The runtime name put on events (like <see cref="KernelEvent.Runtime"/>).</param>
    public TableMatcher(DeviceSignature device, string ilgpuVersion, Func<string, string?> kernelHash, string runtime = "")
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrEmpty(ilgpuVersion);
        ArgumentNullException.ThrowIfNull(kernelHash);
        ArgumentNullException.ThrowIfNull(runtime);
        Device = device;
        IlgpuVersion = ilgpuVersion;
        this.kernelHash = kernelHash;
        Runtime = runtime;
    }

    /// <summary>Creates a matcher with a fixed map of kernel id to current version hash.</summary>
    public TableMatcher(DeviceSignature device, string ilgpuVersion, IReadOnlyDictionary<string, string> kernelHashes, string runtime = "")
        : this(device, ilgpuVersion, Lookup(kernelHashes), runtime)
    {
    }

    /// <summary>The device running now.</summary>
    public DeviceSignature Device { get; }

    /// <summary>The ILGPU version running now.</summary>
    public string IlgpuVersion { get; }

    /// <summary>The runtime name put on events.</summary>
    public string Runtime { get; }

    /// <summary>Matches one table.</summary>
    public TableMatchResult Match(TuningTable table, KernelPhase phase)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Match([table], phase);
    }

    /// <summary>
    /// Matches tables in precedence order: for each (kernel, key) the first usable entry wins.
    /// A rejected entry does not hide a usable one in a later table.
    /// </summary>
    /// <param name="tables">The tables, highest precedence first (as <see cref="TuningTableSources"/> returns them).</param>
    /// <param name="phase">The phase put on rejection events.</param>
    public TableMatchResult Match(IEnumerable<TuningTable> tables, KernelPhase phase)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var list = tables.ToList();
        if (list.Any(t => t is null))
            throw new ArgumentException("The list of tables contains null.", nameof(tables));

        var used = new Dictionary<TuningEntryKey, MatchedEntry>();
        var rejected = new List<TableRejection>();
        var shadowed = new List<MatchedEntry>();
        foreach (var table in list)
        {
            foreach (var entry in table.Entries)
            {
                var rejection = Check(table, entry);
                if (rejection is not null)
                {
                    rejected.Add(rejection);
                    Publish(rejection, phase);
                }
                else if (!used.TryAdd(entry.Id, new MatchedEntry(entry, table)))
                {
                    shadowed.Add(new MatchedEntry(entry, table));
                }
            }
        }
        return new TableMatchResult(used, rejected, shadowed, list);
    }

    private TableRejection? Check(TuningTable table, TuningEntry entry)
    {
        var source = $"table {table.SourceOrDefault}";
        if (!table.Device.SameDevice(Device))
            return Reject(TableRejectionReason.Device,
                $"measured on {table.Device} but this is {Device}; tune on this device; {source}");
        if (table.IlgpuVersion != IlgpuVersion)
            return Reject(TableRejectionReason.IlgpuVersion,
                $"measured with ILGPU {table.IlgpuVersion} but this is ILGPU {IlgpuVersion}; re-tune; {source}");
        var current = kernelHash(entry.Kernel);
        if (current is null)
            return Reject(TableRejectionReason.UnknownKernel,
                $"no kernel '{entry.Kernel}' is known here (renamed or removed?); {source}");
        if (current != entry.KernelHash)
            return Reject(TableRejectionReason.KernelHash,
                $"the kernel's code or configuration space changed (table has hash {entry.KernelHash}, current is {current}); re-tune; {source}");
        return null;

        TableRejection Reject(TableRejectionReason reason, string why) =>
            new(entry, table, reason, $"{TableRejection.CodeOf(reason)}: {why}");
    }

    private void Publish(TableRejection rejection, KernelPhase phase) =>
        KernelEvents.Publish(new KernelEvent
        {
            Kind = KernelEventKind.TableEntryRejected,
            Phase = phase,
            Kernel = rejection.Entry.Kernel,
            Key = rejection.Entry.Key,
            Config = rejection.Entry.Config,
            Scope = KernelScope.Current,
            CallSite = CallSite.Capture(),
            Backend = Device.Backend,
            Runtime = Runtime,
            Detail = rejection.Detail,
        });

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> kernelHashes)
    {
        ArgumentNullException.ThrowIfNull(kernelHashes);
        return id => kernelHashes.TryGetValue(id, out var hash) ? hash : null;
    }
}
