using ILGPU;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The device tensors of one selective state update over a batch of <c>b</c> sequences (b =
/// the <see cref="CacheSlots.Count"/> of the slots passed with them). Rows are row-major with a
/// row stride in elements; a stride of 0 means dense rows. Optional tensors are empty views
/// (<c>default</c>) when their option is off.
/// </summary>
/// <typeparam name="TIn">The input dtype's storage type (<see cref="float"/> or <see cref="ILGPU.Half"/>).</typeparam>
/// <typeparam name="TState">The state cache's storage type.</typeparam>
public readonly record struct StateUpdateViews<TIn, TState>
    where TIn : unmanaged
    where TState : unmanaged
{
    /// <summary>The state cache, <c>slots × H × P × N</c>, updated in place.</summary>
    public required ArrayView<TState> State { get; init; }

    /// <summary>x: <c>b × H·P</c> at row stride <see cref="XStride"/>.</summary>
    public required ArrayView<TIn> X { get; init; }

    /// <summary>dt before bias and softplus: <c>b × H</c> at row stride <see cref="DtStride"/>.</summary>
    public required ArrayView<TIn> Dt { get; init; }

    /// <summary>A: H values, fp32 (negative in Mamba2).</summary>
    public required ArrayView<float> A { get; init; }

    /// <summary>B: <c>b × G·N</c> at row stride <see cref="BStride"/>.</summary>
    public required ArrayView<TIn> B { get; init; }

    /// <summary>C: <c>b × G·N</c> at row stride <see cref="CStride"/>.</summary>
    public required ArrayView<TIn> C { get; init; }

    /// <summary>y (output): <c>b × H·P</c> at row stride <see cref="YStride"/>; padding rows are left untouched.</summary>
    public required ArrayView<TIn> Y { get; init; }

    /// <summary>D, fp32: H or H·P values as <see cref="StateUpdateOptions.D"/> says; empty when none.</summary>
    public ArrayView<float> D { get; init; }

    /// <summary>z: <c>b × H·P</c> at row stride <see cref="ZStride"/>; empty unless <see cref="StateUpdateOptions.Z"/>.</summary>
    public ArrayView<TIn> Z { get; init; }

    /// <summary>dt bias, fp32: H values; empty unless <see cref="StateUpdateOptions.DtBias"/>.</summary>
    public ArrayView<float> DtBias { get; init; }

    /// <summary>Row stride of x (0: dense, H·P).</summary>
    public int XStride { get; init; }

    /// <summary>Row stride of dt (0: dense, H).</summary>
    public int DtStride { get; init; }

    /// <summary>Row stride of B (0: dense, G·N).</summary>
    public int BStride { get; init; }

    /// <summary>Row stride of C (0: dense, G·N).</summary>
    public int CStride { get; init; }

    /// <summary>Row stride of z (0: dense, H·P).</summary>
    public int ZStride { get; init; }

    /// <summary>Row stride of y (0: dense, H·P).</summary>
    public int YStride { get; init; }
}

/// <summary>
/// The host-array form of <see cref="StateUpdateViews{TIn, TState}"/>, for tests and tools: the
/// arrays are uploaded, the update runs, and <see cref="State"/> and <see cref="Y"/> are written
/// back in place. Layouts and strides are the same; the batch size is the length of the slot
/// array passed with them.
/// </summary>
/// <typeparam name="TIn">The input dtype's storage type.</typeparam>
/// <typeparam name="TState">The state cache's storage type.</typeparam>
public sealed record StateUpdateArrays<TIn, TState>
    where TIn : unmanaged
    where TState : unmanaged
{
    /// <summary>The state cache, <c>slots × H × P × N</c>, updated in place.</summary>
    public required TState[] State { get; init; }

    /// <summary>x: <c>b × H·P</c>.</summary>
    public required TIn[] X { get; init; }

    /// <summary>dt: <c>b × H</c>.</summary>
    public required TIn[] Dt { get; init; }

    /// <summary>A: H values.</summary>
    public required float[] A { get; init; }

    /// <summary>B: <c>b × G·N</c>.</summary>
    public required TIn[] B { get; init; }

    /// <summary>C: <c>b × G·N</c>.</summary>
    public required TIn[] C { get; init; }

    /// <summary>y: <c>b × H·P</c>, written in place (padding rows untouched).</summary>
    public required TIn[] Y { get; init; }

    /// <summary>D (H or H·P), or null.</summary>
    public float[]? D { get; init; }

    /// <summary>z (<c>b × H·P</c>), or null.</summary>
    public TIn[]? Z { get; init; }

    /// <summary>dt bias (H), or null.</summary>
    public float[]? DtBias { get; init; }

    /// <summary>Row stride of x (0: dense).</summary>
    public int XStride { get; init; }

    /// <summary>Row stride of dt (0: dense).</summary>
    public int DtStride { get; init; }

    /// <summary>Row stride of B (0: dense).</summary>
    public int BStride { get; init; }

    /// <summary>Row stride of C (0: dense).</summary>
    public int CStride { get; init; }

    /// <summary>Row stride of z (0: dense).</summary>
    public int ZStride { get; init; }

    /// <summary>Row stride of y (0: dense).</summary>
    public int YStride { get; init; }
}
