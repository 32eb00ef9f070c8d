namespace WarmGate.Kernels.Numerics;

/// <summary>
/// A compile-time boolean for kernels: a generic type argument implementing this is folded by
/// ILGPU, so a flag costs nothing at run time and each value is its own compilation (like a
/// Triton <c>constexpr</c>).
/// </summary>
public interface IFlag
{
    /// <summary>The flag's value.</summary>
    bool Value { get; }
}

/// <summary>The flag that is set.</summary>
public readonly struct On : IFlag
{
    /// <inheritdoc/>
    public bool Value => true;
}

/// <summary>The flag that is not set.</summary>
public readonly struct Off : IFlag
{
    /// <inheritdoc/>
    public bool Value => false;
}

/// <summary>A compile-time integer for kernels (tile sizes, chunk sizes), folded by ILGPU.</summary>
public interface IConstant
{
    /// <summary>The constant's value.</summary>
    int Value { get; }
}

#pragma warning disable CS1591 // The names say it all.
public readonly struct C1 : IConstant { public int Value => 1; }
public readonly struct C2 : IConstant { public int Value => 2; }
public readonly struct C4 : IConstant { public int Value => 4; }
public readonly struct C8 : IConstant { public int Value => 8; }
public readonly struct C16 : IConstant { public int Value => 16; }
public readonly struct C32 : IConstant { public int Value => 32; }
public readonly struct C64 : IConstant { public int Value => 64; }
public readonly struct C128 : IConstant { public int Value => 128; }
public readonly struct C256 : IConstant { public int Value => 256; }
#pragma warning restore CS1591

/// <summary>Maps run-time values to the type-level constants above.</summary>
public static class TypeConstants
{
    /// <summary>The flag type for <paramref name="value"/>.</summary>
    public static Type Flag(bool value) => value ? typeof(On) : typeof(Off);

    /// <summary>The constant type for a power of two from 1 to 256.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a power of two in [1, 256].</exception>
    public static Type Constant(int value) => value switch
    {
        1 => typeof(C1),
        2 => typeof(C2),
        4 => typeof(C4),
        8 => typeof(C8),
        16 => typeof(C16),
        32 => typeof(C32),
        64 => typeof(C64),
        128 => typeof(C128),
        256 => typeof(C256),
        _ => throw new ArgumentOutOfRangeException(
            nameof(value), value, "A kernel constant must be a power of two from 1 to 256."),
    };

    /// <summary>The element-ops type for a dtype.</summary>
    public static Type ElementOps(Dtype dtype) => dtype switch
    {
        Dtype.F32 => typeof(F32),
        Dtype.F16 => typeof(F16),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The storage type for a dtype.</summary>
    public static Type Storage(Dtype dtype) => dtype switch
    {
        Dtype.F32 => typeof(float),
        Dtype.F16 => typeof(ILGPU.Half),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
