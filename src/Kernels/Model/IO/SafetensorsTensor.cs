namespace WarmGate.Kernels.Model;

/// <summary>A tensor to write: float values stored as <paramref name="Dtype"/> (F32, F16 or BF16).</summary>
/// <param name="Name">The tensor's name in the header.</param>
/// <param name="Dtype">The storage type: F32, F16 or BF16.</param>
/// <param name="Shape">The dimensions, outermost first; their product must be the number of values.</param>
/// <param name="Values">The values in row-major order.</param>
public sealed record SafetensorsTensor(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, ReadOnlyMemory<float> Values)
{
    /// <summary>Bytes this tensor takes in the file.</summary>
    public long ByteLength => (long)Values.Length * Dtype.ElementSize();
}
