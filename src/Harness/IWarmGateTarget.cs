using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness;

/// <summary>
/// What a <see cref="WarmGateFixture{TTarget}"/> loads and warms up: a model runtime (or any
/// code) whose kernels all compile through one <see cref="KernelRegistry"/>. The fixture calls
/// <see cref="LoadAsync"/> with the registry in <see cref="KernelPhase.Loading"/>, moves it to
/// <see cref="KernelPhase.WarmingUp"/>, calls <see cref="WarmupAsync"/>, then moves it to
/// <see cref="KernelPhase.Serving"/>, where any compile or tuning run is a defect.
/// </summary>
public interface IWarmGateTarget : IAsyncDisposable
{
    /// <summary>A short name for messages and the report, e.g. <c>builtin:tiny</c>.</summary>
    string Name { get; }

    /// <summary>The registry every kernel of this target compiles through; available after <see cref="LoadAsync"/>.</summary>
    KernelRegistry Registry { get; }

    /// <summary>Loads weights and opens the device. Compiling here is allowed.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    Task LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs the warmup plan: compiles (and tunes) every kernel the tests may launch.</summary>
    /// <param name="cancellationToken">Cancels the warmup.</param>
    Task WarmupAsync(CancellationToken cancellationToken = default);

    /// <summary>The tuning tables used during load and warmup, for the report; empty by default.</summary>
    IReadOnlyList<TuningTableUse> TuningTables => [];
}
