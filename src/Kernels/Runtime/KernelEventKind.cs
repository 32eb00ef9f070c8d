namespace WarmGate.Kernels.Runtime;

/// <summary>What a <see cref="KernelEvent"/> reports.</summary>
public enum KernelEventKind
{
    /// <summary>A kernel was compiled and loaded (including a new specialization of one).</summary>
    Compiled,

    /// <summary>The autotuner started tuning a kernel for a key.</summary>
    TuneStarted,

    /// <summary>The autotuner finished tuning a kernel for a key and chose a configuration.</summary>
    Tuned,

    /// <summary>A tuning table entry was not used; <see cref="KernelEvent.Detail"/> says why.</summary>
    TableEntryRejected,
}
