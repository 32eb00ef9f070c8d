namespace WarmGate.Kernels.Tuning;

/// <summary>Why a tuning table entry is not used. Checked in this order; an entry gets the first that applies.</summary>
public enum TableRejectionReason
{
    /// <summary><c>device</c>: the table was measured on a different device (driver versions are ignored).</summary>
    Device,

    /// <summary><c>ilgpu-version</c>: the table was measured with a different ILGPU version.</summary>
    IlgpuVersion,

    /// <summary><c>unknown-kernel</c>: no kernel with the entry's id is known here.</summary>
    UnknownKernel,

    /// <summary><c>kernel-hash</c>: the kernel's code or configuration space changed since it was tuned.</summary>
    KernelHash,
}
