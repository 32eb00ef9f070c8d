namespace WarmGate.Kernels.Tuning;

/// <summary>A tuning table entry that was not used, and why.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Table">The table it came from.</param>
/// <param name="Reason">Why it was not used.</param>
/// <param name="Detail">The reason code, what differs (both values) and the table's source: the event's detail.</param>
public sealed record TableRejection(TuningEntry Entry, TuningTable Table, TableRejectionReason Reason, string Detail)
{
    /// <summary>The reason as written in events: <c>device</c>, <c>ilgpu-version</c>, <c>unknown-kernel</c> or <c>kernel-hash</c>.</summary>
    public string Code => CodeOf(Reason);

    /// <summary>The code of a reason, as written in events.</summary>
    public static string CodeOf(TableRejectionReason reason) => reason switch
    {
        TableRejectionReason.Device => "device",
        TableRejectionReason.IlgpuVersion => "ilgpu-version",
        TableRejectionReason.UnknownKernel => "unknown-kernel",
        TableRejectionReason.KernelHash => "kernel-hash",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown rejection reason"),
    };
}
