using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class FloatEncodingTests
{
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0 exact
    [InlineData(0x3F807FFFu, (ushort)0x3F80)] // just below the halfway point: down
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, even (lsb 0) stays
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above halfway: up
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, odd (lsb 1) rounds up to even
    [InlineData(0xBF818000u, (ushort)0xBF82)] // same for negatives
    [InlineData(0x80000000u, (ushort)0x8000)] // -0
    [InlineData(0x7F800000u, (ushort)0x7F80)] // +inf
    [InlineData(0xFF800000u, (ushort)0xFF80)] // -inf
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float max rounds past bf16 max: +inf
    [InlineData(0x7F7F7FFFu, (ushort)0x7F7F)] // just below: bf16 max
    [InlineData(0x00018000u, (ushort)0x0002)] // subnormal tie, odd: up
    public void Bfloat16_rounds_to_nearest_even(uint floatBits, ushort expected)
    {
        FloatEncoding.ToBFloat16Bits(BitConverter.UInt32BitsToSingle(floatBits)).Should().Be(expected);
    }

    [Fact]
    public void Bfloat16_keeps_nan_as_nan_with_its_sign()
    {
        ushort positive = FloatEncoding.ToBFloat16Bits(BitConverter.UInt32BitsToSingle(0x7F800001u)); // signalling NaN, low payload
        ushort negative = FloatEncoding.ToBFloat16Bits(BitConverter.UInt32BitsToSingle(0xFFC00000u));

        float.IsNaN(FloatEncoding.FromBFloat16Bits(positive)).Should().BeTrue();
        (positive & 0x8000).Should().Be(0);
        float.IsNaN(FloatEncoding.FromBFloat16Bits(negative)).Should().BeTrue();
        (negative & 0x8000).Should().Be(0x8000);
    }

    [Fact]
    public void Bfloat16_decoding_is_exact()
    {
        FloatEncoding.FromBFloat16Bits(0x3F80).Should().Be(1.0f);
        FloatEncoding.FromBFloat16Bits(0xC040).Should().Be(-3.0f);
        BitConverter.SingleToUInt32Bits(FloatEncoding.FromBFloat16Bits(0x3F82)).Should().Be(0x3F820000u);
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3C00)]
    [InlineData(-2.0f, (ushort)0xC000)]
    [InlineData(65504.0f, (ushort)0x7BFF)] // half max
    [InlineData(65520.0f, (ushort)0x7C00)] // halfway past max: +inf
    [InlineData(0.333333343f, (ushort)0x3555)]
    [InlineData(5.96046448e-8f, (ushort)0x0001)] // smallest subnormal
    public void Half_rounds_to_nearest_even(float value, ushort expected)
    {
        FloatEncoding.ToHalfBits(value).Should().Be(expected);
    }

    [Fact]
    public void Half_tie_goes_to_even()
    {
        // 1 + 2^-11 is halfway between 1 (0x3C00, even) and 1 + 2^-10 (0x3C01): down to even.
        FloatEncoding.ToHalfBits(1f + MathF.Pow(2, -11)).Should().Be(0x3C00);
        // 1 + 3 * 2^-11 is halfway between 0x3C01 (odd) and 0x3C02 (even): up to even.
        FloatEncoding.ToHalfBits(1f + (3 * MathF.Pow(2, -11))).Should().Be(0x3C02);
        FloatEncoding.FromHalfBits(0x3C02).Should().Be(1f + MathF.Pow(2, -9));
    }
}
