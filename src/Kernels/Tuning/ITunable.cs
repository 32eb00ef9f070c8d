using ILGPU.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// A kernel (or a group of kernels that share one configuration) that the autotuner can tune
/// for one key. The key must hold everything that changes the best configuration or the code
/// (head dim, state size, groups, dtypes, code-path flags) and never sequence length or batch
/// size, so one small warmup covers every request shape.
/// </summary>
public interface ITunable
{
    /// <summary>The kernel id, e.g. <c>ssd.prefill</c>.</summary>
    string KernelId { get; }

    /// <summary>The tuning key, e.g. <c>H=8,P=16,G=2,N=16,in=f32,...</c>.</summary>
    string Key { get; }

    /// <summary>The version hash of the kernel code and its configuration space.</summary>
    string KernelHash { get; }

    /// <summary>The candidate configurations in declaration order (ties go to the earlier one).</summary>
    IReadOnlyList<string> Candidates { get; }

    /// <summary>
    /// The stream <see cref="Enqueue"/> launches on, or null (the default) when the tunable can
    /// only run synchronously. With a stream the tuner measures device time (CUDA events).
    /// </summary>
    AcceleratorStream? Stream => null;

    /// <summary>
    /// Whether the device can run <paramref name="config"/> (shared memory, group size,
    /// registers); when not, <paramref name="reason"/> says why and the candidate is pruned.
    /// </summary>
    bool CanRun(string config, out string reason);

    /// <summary>Runs the kernel once with <paramref name="config"/> on representative data and waits for it.</summary>
    void Run(string config);

    /// <summary>
    /// Enqueues one run with <paramref name="config"/> on <see cref="Stream"/> without waiting.
    /// Called only when <see cref="Stream"/> is not null; the data must stay valid until the
    /// stream is synchronised.
    /// </summary>
    /// <exception cref="NotSupportedException">The tunable has no stream (the default).</exception>
    void Enqueue(string config) =>
        throw new NotSupportedException($"{KernelId} [{Key}] has no stream to enqueue on; the tuner must call Run.");
}
