using ILGPU;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The device tensors of a causal conv1d call. Input and output rows are tokens (prefill: the
/// packed T tokens) or sequences (update: one token each); strides are in elements, 0 = dense.
/// </summary>
/// <typeparam name="T">The storage type of input, output and state (<see cref="float"/> or <see cref="ILGPU.Half"/>).</typeparam>
public readonly record struct Conv1dViews<T>
    where T : unmanaged
{
    /// <summary>The input: rows × C at row stride <see cref="InputStride"/>.</summary>
    public required ArrayView<T> Input { get; init; }

    /// <summary>The output: rows × C at row stride <see cref="OutputStride"/>; padding sequences' rows are left untouched.</summary>
    public required ArrayView<T> Output { get; init; }

    /// <summary>The weight, fp32, C × K (HF <c>conv1d.weight</c> (C, 1, K) squeezed).</summary>
    public required ArrayView<float> Weight { get; init; }

    /// <summary>
    /// The conv-state cache, slots × C × (K−1), oldest input first; read (update, prefill with
    /// initial states) and written in place. Empty when K = 1.
    /// </summary>
    public required ArrayView<T> State { get; init; }

    /// <summary>The bias, fp32, C values; empty unless <see cref="Conv1dOptions.Bias"/>.</summary>
    public ArrayView<float> Bias { get; init; }

    /// <summary>Row stride of the input (0: dense, C).</summary>
    public int InputStride { get; init; }

    /// <summary>Row stride of the output (0: dense, C).</summary>
    public int OutputStride { get; init; }
}

/// <summary>
/// The host-array form of <see cref="Conv1dViews{T}"/>, for tests and tools: uploaded, run,
/// and <see cref="Output"/> and <see cref="State"/> written back in place.
/// </summary>
/// <typeparam name="T">The storage type of input, output and state.</typeparam>
public sealed record Conv1dArrays<T>
    where T : unmanaged
{
    /// <summary>The input: rows × C.</summary>
    public required T[] Input { get; init; }

    /// <summary>The output: rows × C, written in place.</summary>
    public required T[] Output { get; init; }

    /// <summary>The weight, C × K.</summary>
    public required float[] Weight { get; init; }

    /// <summary>The conv-state cache, slots × C × (K−1), updated in place (empty when K = 1).</summary>
    public required T[] State { get; init; }

    /// <summary>The bias (C), or null.</summary>
    public float[]? Bias { get; init; }

    /// <summary>Row stride of the input (0: dense).</summary>
    public int InputStride { get; init; }

    /// <summary>Row stride of the output (0: dense).</summary>
    public int OutputStride { get; init; }
}
