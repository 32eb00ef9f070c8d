namespace WarmGate.Kernels.Model;

/// <summary>The element types a safetensors header may name (the byte-sized ones).</summary>
public enum SafetensorsDtype
{
    /// <summary><c>BOOL</c>, one byte.</summary>
    Bool,

    /// <summary><c>U8</c>.</summary>
    U8,

    /// <summary><c>I8</c>.</summary>
    I8,

    /// <summary><c>F8_E5M2</c>.</summary>
    F8E5M2,

    /// <summary><c>F8_E4M3</c>.</summary>
    F8E4M3,

    /// <summary><c>I16</c>.</summary>
    I16,

    /// <summary><c>U16</c>.</summary>
    U16,

    /// <summary><c>F16</c>: IEEE half. Readable as float.</summary>
    F16,

    /// <summary><c>BF16</c>: bfloat16. Readable as float.</summary>
    BF16,

    /// <summary><c>I32</c>.</summary>
    I32,

    /// <summary><c>U32</c>.</summary>
    U32,

    /// <summary><c>F32</c>: IEEE single. Readable as float.</summary>
    F32,

    /// <summary><c>F64</c>.</summary>
    F64,

    /// <summary><c>I64</c>.</summary>
    I64,

    /// <summary><c>U64</c>.</summary>
    U64,
}

/// <summary>Header names, element sizes and capabilities of <see cref="SafetensorsDtype"/> values.</summary>
public static class SafetensorsDtypes
{
    private static readonly (SafetensorsDtype Dtype, string Name, int Size)[] Table =
    [
        (SafetensorsDtype.Bool, "BOOL", 1),
        (SafetensorsDtype.U8, "U8", 1),
        (SafetensorsDtype.I8, "I8", 1),
        (SafetensorsDtype.F8E5M2, "F8_E5M2", 1),
        (SafetensorsDtype.F8E4M3, "F8_E4M3", 1),
        (SafetensorsDtype.I16, "I16", 2),
        (SafetensorsDtype.U16, "U16", 2),
        (SafetensorsDtype.F16, "F16", 2),
        (SafetensorsDtype.BF16, "BF16", 2),
        (SafetensorsDtype.I32, "I32", 4),
        (SafetensorsDtype.U32, "U32", 4),
        (SafetensorsDtype.F32, "F32", 4),
        (SafetensorsDtype.F64, "F64", 8),
        (SafetensorsDtype.I64, "I64", 8),
        (SafetensorsDtype.U64, "U64", 8),
    ];

    /// <summary>The name used in safetensors headers, such as <c>"BF16"</c>.</summary>
    public static string HeaderName(this SafetensorsDtype dtype) => Entry(dtype).Name;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDtype dtype) => Entry(dtype).Size;

    /// <summary>Whether WarmGate reads (and writes) this dtype as float: F32, F16 and BF16.</summary>
    public static bool IsFloatConvertible(this SafetensorsDtype dtype) =>
        dtype is SafetensorsDtype.F32 or SafetensorsDtype.F16 or SafetensorsDtype.BF16;

    /// <summary>Parses a header name (case-sensitive, as the format specifies).</summary>
    public static bool TryParse(string? name, out SafetensorsDtype dtype)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                dtype = entry.Dtype;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>All header names, for error messages.</summary>
    internal static string KnownNames => string.Join(", ", Table.Select(e => e.Name));

    private static (SafetensorsDtype Dtype, string Name, int Size) Entry(SafetensorsDtype dtype)
    {
        int index = (int)dtype;
        if ((uint)index >= (uint)Table.Length)
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype.");
        return Table[index];
    }
}
