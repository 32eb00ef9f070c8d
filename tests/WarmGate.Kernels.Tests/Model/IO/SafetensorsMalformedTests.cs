using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class SafetensorsMalformedTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_rejected()
    {
        var error = Open(new byte[] { 1, 2, 3 });

        error.Item.Should().BeNull();
        error.Message.Should().Contain("3 bytes").And.Contain("truncated");
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("{}", declaredLength: 1000));

        error.Message.Should().Contain("1000").And.Contain("past the end of the file");
    }

    [Fact]
    public void A_header_length_over_100_MB_is_rejected_without_allocating_it()
    {
        var error = Open(TinyMamba2.RawSafetensors("{}", declaredLength: ulong.MaxValue));

        error.Message.Should().Contain("100000000");
    }

    [Fact]
    public void An_empty_header_is_rejected()
    {
        Open(TinyMamba2.RawSafetensors("")).Message.Should().Contain("empty");
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_rejected()
    {
        Open(TinyMamba2.RawSafetensors(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }))
            .Message.Should().Contain("UTF-8");
    }

    [Fact]
    public void A_header_that_is_not_json_is_rejected()
    {
        Open(TinyMamba2.RawSafetensors("{\"w\": {\"dtype\": \"F32\",")).Message.Should().Contain("not valid JSON");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    public void A_header_that_is_not_an_object_is_rejected(string header)
    {
        Open(TinyMamba2.RawSafetensors(header)).Message.Should().Contain("must be a JSON object");
    }

    [Theory]
    [InlineData("F128")]
    [InlineData("f32")]
    [InlineData("Q4_K")]
    public void An_unknown_dtype_is_rejected_naming_the_tensor(string dtype)
    {
        var error = Open(TinyMamba2.RawSafetensors($$$"""{"w": {"dtype": "{{{dtype}}}", "shape": [1], "data_offsets": [0, 4]}}""", new byte[4]));

        error.Item.Should().Be("w");
        error.Message.Should().Contain(dtype).And.Contain("unknown");
    }

    [Fact]
    public void A_negative_dimension_is_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [2, -1], "data_offsets": [0, 0]}}"""));

        error.Item.Should().Be("w");
        error.Message.Should().Contain("negative").And.Contain("-1");
    }

    [Fact]
    public void A_shape_whose_size_disagrees_with_the_offsets_is_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F16", "shape": [2, 3], "data_offsets": [0, 8]}}""", new byte[16]));

        error.Item.Should().Be("w");
        error.Message.Should().Contain("needs 12 bytes").And.Contain("hold 8");
    }

    [Fact]
    public void A_shape_that_overflows_64_bits_is_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}}"""));

        error.Message.Should().Contain("64 bits");
    }

    [Fact]
    public void Offsets_past_the_end_of_the_data_are_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", new byte[12]));

        error.Item.Should().Be("w");
        error.Message.Should().Contain("past the end of the data region (12 bytes)");
    }

    [Fact]
    public void Offsets_that_begin_after_they_end_are_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 4]}}""", new byte[8]));

        error.Message.Should().Contain("begin after they end");
    }

    [Theory]
    [InlineData("[-4, 0]")]
    [InlineData("[0]")]
    [InlineData("[0, 4.5]")]
    [InlineData("\"0-4\"")]
    public void Malformed_data_offsets_are_rejected(string offsets)
    {
        var error = Open(TinyMamba2.RawSafetensors($$$"""{"w": {"dtype": "F32", "shape": [1], "data_offsets": {{{offsets}}}}}""", new byte[4]));

        error.Item.Should().Be("w");
        error.Message.Should().Contain("data_offsets");
    }

    [Fact]
    public void Overlapping_tensors_are_rejected_naming_both()
    {
        var error = Open(TinyMamba2.RawSafetensors(
            """{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""",
            new byte[12]));

        error.Item.Should().Be("b");
        error.Message.Should().Contain("overlap").And.Contain("\"a\"");
    }

    [Fact]
    public void A_duplicated_tensor_name_is_rejected()
    {
        var error = Open(TinyMamba2.RawSafetensors(
            """{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}""",
            new byte[8]));

        error.Item.Should().Be("a");
        error.Message.Should().Contain("twice");
    }

    [Fact]
    public void Metadata_values_must_be_strings()
    {
        var error = Open(TinyMamba2.RawSafetensors("""{"__metadata__": {"format": 1}}"""));

        error.Item.Should().Be("__metadata__");
        error.Message.Should().Contain("format");
    }

    [Fact]
    public void A_tensor_entry_without_fields_is_rejected()
    {
        Open(TinyMamba2.RawSafetensors("""{"w": {"shape": [1], "data_offsets": [0, 4]}}""", new byte[4]))
            .Message.Should().Contain("dtype");
        Open(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "data_offsets": [0, 4]}}""", new byte[4]))
            .Message.Should().Contain("shape");
        Open(TinyMamba2.RawSafetensors("""{"w": [1, 2]}""", new byte[4]))
            .Message.Should().Contain("must be an object");
    }

    [Fact]
    public void Gaps_in_the_data_region_and_unordered_offsets_are_fine()
    {
        byte[] data = new byte[20];
        BitConverter.GetBytes(1.5f).CopyTo(data, 16); // "late" lives after a 4-byte gap
        BitConverter.GetBytes(-2f).CopyTo(data, 4);
        string path = Write(TinyMamba2.RawSafetensors(
            """{"late": {"dtype": "F32", "shape": [1], "data_offsets": [16, 20]}, "early": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}   """,
            data));

        using var reader = SafetensorsReader.Open(path);

        reader.Tensors.Select(t => t.Name).Should().Equal("late", "early");
        reader.ReadFloat32("late").Should().Equal(1.5f);
        reader.ReadFloat32("early").Should().Equal(0f, -2f);
    }

    [Fact]
    public void Integer_tensors_open_but_reading_them_as_float_is_a_clear_error()
    {
        string path = Write(TinyMamba2.RawSafetensors("""{"ids": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}}""", new byte[16]));
        using var reader = SafetensorsReader.Open(path);

        var error = FluentActions.Invoking(() => reader.ReadFloat32("ids")).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("ids");
        error.Message.Should().Contain("I64").And.Contain("F32, F16 and BF16");
        reader.ReadBytes("ids").Should().HaveCount(16);
    }

    [Fact]
    public void Asking_for_an_absent_tensor_names_the_file_and_the_tensor()
    {
        string path = Write(TinyMamba2.RawSafetensors("{}"));
        using var reader = SafetensorsReader.Open(path);

        var error = FluentActions.Invoking(() => reader.ReadFloat32("nope")).Should().Throw<ModelFormatException>().Which;

        error.File.Should().Be(path);
        error.Item.Should().Be("nope");
    }

    [Fact]
    public void A_destination_of_the_wrong_length_is_an_argument_error()
    {
        string path = Write(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", new byte[8]));
        using var reader = SafetensorsReader.Open(path);

        FluentActions.Invoking(() => reader.ReadFloat32("w", new float[3])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_file_truncated_after_open_is_a_format_error_when_read()
    {
        string path = Write(TinyMamba2.RawSafetensors("""{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", new byte[16]));
        using var reader = SafetensorsReader.Open(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            stream.SetLength(stream.Length - 6);

        var error = FluentActions.Invoking(() => reader.ReadFloat32("w")).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("w");
        error.Message.Should().Contain("truncated");
    }

    private string Write(byte[] bytes)
    {
        string path = folder.File(Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private ModelFormatException Open(byte[] bytes)
    {
        string path = Write(bytes);
        var error = FluentActions.Invoking(() => SafetensorsReader.Open(path).Dispose()).Should().Throw<ModelFormatException>().Which;
        error.File.Should().Be(path);
        error.Message.Should().StartWith(path);
        return error;
    }
}
