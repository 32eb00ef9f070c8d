namespace WarmGate.Kernels.Numerics;

/// <summary>The storage type of a tensor on the device.</summary>
public enum Dtype
{
    /// <summary>32-bit IEEE float.</summary>
    F32,

    /// <summary>16-bit IEEE half.</summary>
    F16,
}

/// <summary>Names and sizes of <see cref="Dtype"/> values.</summary>
public static class DtypeInfo
{
    /// <summary>The short name used in keys: <c>f32</c> or <c>f16</c>.</summary>
    public static string Name(this Dtype dtype) => dtype switch
    {
        Dtype.F32 => "f32",
        Dtype.F16 => "f16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Bytes per element.</summary>
    public static int Size(this Dtype dtype) => dtype switch
    {
        Dtype.F32 => 4,
        Dtype.F16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
