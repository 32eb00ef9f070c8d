using System.Runtime.CompilerServices;

namespace WarmGate.Kernels.Model;

/// <summary>Bit-level conversions between <see cref="float"/> and the 16-bit storage formats.</summary>
internal static class FloatEncoding
{
    /// <summary>Float to IEEE half bits, rounding to nearest even (the conversion of <see cref="Half"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToHalfBits(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>IEEE half bits to float (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromHalfBits(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>
    /// Float to bfloat16 bits, rounding to nearest with ties to even. NaN stays NaN (quiet, sign
    /// kept); values that round past the largest bfloat16 become infinity, as IEEE rounding does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040u);
        uint lsb = (bits >> 16) & 1u;
        return (ushort)((bits + 0x7FFFu + lsb) >> 16);
    }

    /// <summary>Bfloat16 bits to float (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromBFloat16Bits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
