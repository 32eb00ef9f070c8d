using System.Buffers.Binary;
using System.Text;
using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class SafetensorsRoundTripTests
{
    private static readonly float[] Values =
    [
        0f, -0f, 1f, -1.5f, 3.14159265f, 1e-3f, -1e-7f, 65504f, 70000f, 1e30f,
        float.PositiveInfinity, float.NegativeInfinity, 1f + MathF.Pow(2, -9), 0.1f, -123.456f, 2.5e-6f,
    ];

    [Theory]
    [InlineData(SafetensorsDtype.F32)]
    [InlineData(SafetensorsDtype.F16)]
    [InlineData(SafetensorsDtype.BF16)]
    public void Round_trip_rounds_as_the_dtype_defines(SafetensorsDtype dtype)
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");

        SafetensorsWriter.Write(path, [new SafetensorsTensor("w", dtype, [4, 4], Values)]);
        using var reader = SafetensorsReader.Open(path);
        var read = reader.ReadFloat32("w");

        var info = reader.GetTensor("w");
        info.Dtype.Should().Be(dtype);
        info.Shape.Should().Equal(4L, 4L);
        info.ByteLength.Should().Be(16L * dtype.ElementSize());
        for (int i = 0; i < Values.Length; i++)
        {
            float expected = dtype switch
            {
                SafetensorsDtype.F32 => Values[i],
                SafetensorsDtype.F16 => (float)(Half)Values[i],
                _ => FloatEncoding.FromBFloat16Bits(FloatEncoding.ToBFloat16Bits(Values[i])),
            };
            BitConverter.SingleToUInt32Bits(read[i]).Should().Be(BitConverter.SingleToUInt32Bits(expected), $"value {i} ({Values[i]}) in {dtype}");
        }
    }

    [Fact]
    public void Bf16_and_f16_values_lose_the_expected_precision()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");
        float[] values = [1f + MathF.Pow(2, -9), 70000f];

        SafetensorsWriter.Write(path, [
            new SafetensorsTensor("bf", SafetensorsDtype.BF16, [2], values),
            new SafetensorsTensor("h", SafetensorsDtype.F16, [2], values),
        ]);
        using var reader = SafetensorsReader.Open(path);

        reader.ReadFloat32("bf").Should().Equal(1f, 70144f); // 8 mantissa bits: 2^-9 is lost; 70000 -> 70144
        reader.ReadFloat32("h").Should().Equal(1f + MathF.Pow(2, -9), float.PositiveInfinity); // past half max
    }

    [Fact]
    public void Header_is_padded_with_spaces_to_8_bytes_and_lists_tensors_by_name()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");

        SafetensorsWriter.Write(path, [
            new SafetensorsTensor("b", SafetensorsDtype.F32, [3], new float[] { 1, 2, 3 }),
            new SafetensorsTensor("a", SafetensorsDtype.BF16, [1], new float[] { 4 }),
        ], new Dictionary<string, string> { ["format"] = "pt", ["note"] = "x" });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ((8 + n) % 8).Should().Be(0);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        header.Should().StartWith("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"}");
        header.TrimEnd(' ').Should().EndWith("}");
        header.IndexOf("\"a\"", StringComparison.Ordinal).Should().BeLessThan(header.IndexOf("\"b\"", StringComparison.Ordinal));
        bytes.Length.Should().Be((int)(8 + n + 2 + 12));

        using var reader = SafetensorsReader.Open(path);
        reader.Metadata.Should().Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "x" });
        reader.GetTensor("a").DataBegin.Should().Be(0);
        reader.GetTensor("b").DataBegin.Should().Be(2);
        reader.ReadFloat32("b").Should().Equal(1f, 2f, 3f);
        reader.ReadBytes("a").Should().Equal(0x80, 0x40); // 4.0 in bf16 is 0x4080, little-endian
    }

    [Fact]
    public void Scalars_and_empty_tensors_round_trip()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");

        SafetensorsWriter.Write(path, [
            new SafetensorsTensor("scalar", SafetensorsDtype.F16, [], new float[] { 2.5f }),
            new SafetensorsTensor("empty", SafetensorsDtype.F32, [0, 3], Array.Empty<float>()),
        ]);
        using var reader = SafetensorsReader.Open(path);

        reader.GetTensor("scalar").Shape.Should().BeEmpty();
        reader.ReadFloat32("scalar").Should().Equal(2.5f);
        reader.ReadFloat32("empty").Should().BeEmpty();
        reader.GetTensor("empty").ElementCount.Should().Be(0);
    }

    [Fact]
    public void Large_tensors_convert_across_read_chunks()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");
        var values = new float[100_003];
        for (int i = 0; i < values.Length; i++)
            values[i] = i % 2048;

        SafetensorsWriter.Write(path, [new SafetensorsTensor("big", SafetensorsDtype.F16, [values.Length], values)]);
        using var reader = SafetensorsReader.Open(path);
        var span = new float[values.Length];
        reader.ReadFloat32("big", span);

        span.Should().Equal(values); // integers below 2048 are exact in half
    }

    [Fact]
    public void Writing_replaces_the_file_whole_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", SafetensorsDtype.F32, [1], new float[] { 1 })]);

        SafetensorsWriter.Write(path, [new SafetensorsTensor("y", SafetensorsDtype.F32, [2], new float[] { 2, 3 })]);

        folder.FileNames().Should().Equal("t.safetensors");
        using var reader = SafetensorsReader.Open(path);
        reader.Tensors.Select(t => t.Name).Should().Equal("y");
    }

    [Theory]
    [InlineData("", SafetensorsDtype.F32, new long[] { 1 }, 1, "not allowed")]
    [InlineData("__metadata__", SafetensorsDtype.F32, new long[] { 1 }, 1, "not allowed")]
    [InlineData("x", SafetensorsDtype.I32, new long[] { 1 }, 1, "F32, F16 or BF16")]
    [InlineData("x", SafetensorsDtype.F32, new long[] { 2, -1 }, 0, "negative")]
    [InlineData("x", SafetensorsDtype.F32, new long[] { 2, 3 }, 5, "needs 6 values")]
    public void Invalid_tensors_are_rejected_before_any_file_is_created(string name, SafetensorsDtype dtype, long[] shape, int count, string fragment)
    {
        using var folder = new TempFolder();

        FluentActions.Invoking(() => SafetensorsWriter.Write(folder.File("t.safetensors"), [new SafetensorsTensor(name, dtype, shape, new float[count])]))
            .Should().Throw<ArgumentException>().WithMessage($"*{fragment}*");
        FluentActions.Invoking(() => SafetensorsWriter.Write(folder.File("t.safetensors"), [
            new SafetensorsTensor("d", SafetensorsDtype.F32, [1], new float[1]),
            new SafetensorsTensor("d", SafetensorsDtype.F32, [1], new float[1]),
        ])).Should().Throw<ArgumentException>().WithMessage("*twice*");
        folder.FileNames().Should().BeEmpty();
    }

    [Fact]
    public void FileSize_predicts_the_written_size()
    {
        using var folder = new TempFolder();
        SafetensorsTensor[] tensors = [new("a", SafetensorsDtype.F16, [5], new float[5]), new("b", SafetensorsDtype.F32, [3], new float[3])];

        SafetensorsWriter.Write(folder.File("t.safetensors"), tensors);

        new FileInfo(folder.File("t.safetensors")).Length.Should().Be(SafetensorsWriter.FileSize(tensors));
    }
}
