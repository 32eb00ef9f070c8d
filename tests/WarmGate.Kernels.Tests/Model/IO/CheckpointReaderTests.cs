using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class CheckpointReaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static SafetensorsTensor[] Tensors(SafetensorsDtype dtype = SafetensorsDtype.F32) =>
    [
        new("a.weight", dtype, [4, 4], Enumerable.Range(0, 16).Select(i => (float)i).ToArray()),
        new("b.weight", dtype, [8], Enumerable.Range(0, 8).Select(i => -i * 0.5f).ToArray()),
        new("c.bias", dtype, [3], new float[] { 7, 8, 9 }),
        new("d.weight", dtype, [2, 2], new float[] { 1, 2, 3, 4 }),
    ];

    [Fact]
    public void A_sharded_folder_round_trips_and_finds_each_tensor_in_its_shard()
    {
        var written = CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 40);

        written.Select(Path.GetFileName).Should().Equal(
            "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json");
        using var reader = CheckpointReader.Open(folder.Path);

        reader.IsSharded.Should().BeTrue();
        reader.SourceFile.Should().EndWith(CheckpointReader.IndexFileName);
        reader.TensorNames.Should().BeEquivalentTo(Tensors().Select(t => t.Name));
        reader.Files.Should().HaveCount(3);
        reader.FileOf("a.weight").Should().EndWith("model-00001-of-00003.safetensors");
        reader.FileOf("c.bias").Should().NotBe(reader.FileOf("a.weight"));
        foreach (var tensor in Tensors())
            reader.ReadFloat32(tensor.Name).Should().Equal(tensor.Values.ToArray(), tensor.Name);
        File.ReadAllText(folder.File(CheckpointReader.IndexFileName)).Should().Contain("\"total_size\": 124");
    }

    [Fact]
    public void A_single_file_is_preferred_and_read_in_header_order()
    {
        CheckpointWriter.Save(folder.Path, Tensors(SafetensorsDtype.BF16));
        using var reader = CheckpointReader.Open(folder.Path);

        reader.IsSharded.Should().BeFalse();
        reader.TensorNames.Should().Equal("a.weight", "b.weight", "c.bias", "d.weight");
        reader.ReadFloat32("d.weight").Should().Equal(1f, 2f, 3f, 4f);
        reader.GetTensor("b.weight").Dtype.Should().Be(SafetensorsDtype.BF16);
    }

    [Fact]
    public void A_missing_shard_names_the_index_the_tensor_and_the_shard()
    {
        CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 40);
        File.Delete(folder.File("model-00002-of-00003.safetensors"));

        var error = FluentActions.Invoking(() => CheckpointReader.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.File.Should().EndWith(CheckpointReader.IndexFileName);
        error.Item.Should().Be("b.weight");
        error.Message.Should().Contain("model-00002-of-00003.safetensors").And.Contain("incomplete");
    }

    [Fact]
    public void A_tensor_listed_in_the_index_but_absent_from_its_shard_is_an_error()
    {
        CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 40);
        string index = folder.File(CheckpointReader.IndexFileName);
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"c.bias\"", "\"c.bias\": \"model-00001-of-00003.safetensors\", \"c.other\"", StringComparison.Ordinal));

        var error = FluentActions.Invoking(() => CheckpointReader.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("c.bias");
        error.File.Should().EndWith("model-00001-of-00003.safetensors");
        error.Message.Should().Contain("lists this tensor");
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/model.safetensors")]
    [InlineData("..")]
    public void Shard_names_that_leave_the_folder_are_rejected(string shard)
    {
        File.WriteAllText(folder.File(CheckpointReader.IndexFileName), $$$"""{"weight_map": {"w": "{{{shard}}}"}}""");

        var error = FluentActions.Invoking(() => CheckpointReader.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("w");
        error.Message.Should().Contain("plain file name");
    }

    [Theory]
    [InlineData("{\"metadata\": {}}", "weight_map")]
    [InlineData("{\"weight_map\": {\"w\": 3}}", "shard file name")]
    [InlineData("{\"weight_map\": {\"w\": \"a\", \"w\": \"b\"}}", "twice")]
    [InlineData("{\"weight_map\": ", "not valid JSON")]
    public void A_malformed_index_is_rejected(string json, string fragment)
    {
        File.WriteAllText(folder.File(CheckpointReader.IndexFileName), json);

        var error = FluentActions.Invoking(() => CheckpointReader.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.File.Should().EndWith(CheckpointReader.IndexFileName);
        error.Message.Should().Contain(fragment);
    }

    [Fact]
    public void A_folder_without_weights_or_a_missing_folder_is_a_clear_error()
    {
        FluentActions.Invoking(() => CheckpointReader.Open(folder.Path))
            .Should().Throw<ModelFormatException>().Which.Message.Should().Contain("neither model.safetensors nor");
        FluentActions.Invoking(() => CheckpointReader.Open(folder.File("absent")))
            .Should().Throw<ModelFormatException>().Which.Message.Should().Contain("does not exist");
    }

    [Fact]
    public void Saving_over_weights_needs_overwrite_and_then_removes_the_other_layout()
    {
        CheckpointWriter.Save(folder.Path, Tensors());

        FluentActions.Invoking(() => CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 40))
            .Should().Throw<IOException>().WithMessage("*overwrite*");
        folder.FileNames().Should().Equal("model.safetensors");

        CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 40, overwrite: true);
        folder.FileNames().Should().NotContain("model.safetensors").And.Contain(CheckpointReader.IndexFileName);

        CheckpointWriter.Save(folder.Path, Tensors(), overwrite: true);
        folder.FileNames().Should().Equal("model.safetensors");
    }

    [Fact]
    public void A_tensor_larger_than_the_shard_limit_gets_a_shard_of_its_own()
    {
        CheckpointWriter.Save(folder.Path, Tensors(), maxShardBytes: 1);
        using var reader = CheckpointReader.Open(folder.Path);

        reader.Files.Should().HaveCount(4);
        reader.ReadFloat32("c.bias").Should().Equal(7f, 8f, 9f);
    }
}
