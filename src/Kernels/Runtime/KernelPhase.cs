namespace WarmGate.Kernels.Runtime;

/// <summary>
/// The life of a model runtime: <see cref="Loading"/>, then <see cref="WarmingUp"/>, then
/// <see cref="Serving"/>. A compile or tuning run in <see cref="Serving"/> is a defect.
/// </summary>
public enum KernelPhase
{
    /// <summary>Weights are being loaded; compiling now is allowed.</summary>
    Loading,

    /// <summary>The warmup plan runs; compiling and tuning now is the point.</summary>
    WarmingUp,

    /// <summary>Requests are served; nothing may compile or tune any more.</summary>
    Serving,
}
