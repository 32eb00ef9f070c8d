namespace WarmGate.Kernels.Numerics;

/// <summary>
/// Converts a storage element to and from fp32 inside kernels. Implemented by empty structs so
/// ILGPU specializes each kernel per element type (a generic type argument is a compile key).
/// </summary>
/// <typeparam name="T">The storage type: <see cref="float"/> or <see cref="ILGPU.Half"/>.</typeparam>
public interface IElementOps<T>
    where T : unmanaged
{
    /// <summary>Widens a stored value to fp32.</summary>
    float ToFloat(T value);

    /// <summary>Rounds an fp32 value to the storage type.</summary>
    T FromFloat(float value);
}

/// <summary>fp32 storage.</summary>
public readonly struct F32 : IElementOps<float>
{
    /// <inheritdoc/>
    public float ToFloat(float value) => value;

    /// <inheritdoc/>
    public float FromFloat(float value) => value;
}

/// <summary>fp16 storage (ILGPU <see cref="ILGPU.Half"/>), fp32 arithmetic.</summary>
public readonly struct F16 : IElementOps<ILGPU.Half>
{
    /// <inheritdoc/>
    public float ToFloat(ILGPU.Half value) => (float)value;

    /// <inheritdoc/>
    public ILGPU.Half FromFloat(float value) => (ILGPU.Half)value;
}
