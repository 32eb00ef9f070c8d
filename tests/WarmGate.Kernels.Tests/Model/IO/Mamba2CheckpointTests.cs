using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class Mamba2CheckpointTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(SafetensorsDtype.F32)]
    [InlineData(SafetensorsDtype.F16)]
    [InlineData(SafetensorsDtype.BF16)]
    public void A_saved_checkpoint_opens_with_its_config_and_weights(SafetensorsDtype dtype)
    {
        var config = TinyMamba2.Config;
        var tensors = TinyMamba2.Tensors(config);

        Mamba2CheckpointWriter.Save(folder.Path, config, tensors, dtype);
        using var checkpoint = Mamba2Checkpoint.Open(folder.Path);

        folder.FileNames().Should().Equal("config.json", "model.safetensors");
        checkpoint.Config.Should().Be(config with { TorchDtype = dtype switch { SafetensorsDtype.F32 => "float32", SafetensorsDtype.F16 => "float16", _ => "bfloat16" } });
        checkpoint.HasLmHead.Should().BeTrue();
        checkpoint.UnexpectedTensors.Should().BeEmpty();
        checkpoint.Expected.Should().HaveCount(3 + (2 * 9)); // embeddings, norm_f, lm_head; 9 per layer without in/out biases
        var inProj = checkpoint.ReadFloat32(Mamba2TensorNames.InProjWeight(1));
        inProj.Should().HaveCount(config.InProjOutSize * config.HiddenSize);
        float tolerance = dtype switch { SafetensorsDtype.F32 => 0f, SafetensorsDtype.F16 => 1e-3f, _ => 4e-3f };
        var original = tensors[Mamba2TensorNames.InProjWeight(1)];
        for (int i = 0; i < inProj.Length; i++)
            inProj[i].Should().BeApproximately(original[i], tolerance);
    }

    [Fact]
    public void Tensor_shapes_follow_the_config()
    {
        var c = TinyMamba2.Config with { UseBias = true };
        var specs = Mamba2TensorSpec.For(c).ToDictionary(s => s.Name, s => s.Shape);

        specs[Mamba2TensorNames.Embeddings].Should().Equal(16L, 8L);
        specs[Mamba2TensorNames.InProjWeight(0)].Should().Equal(52L, 8L); // 2*16 + 2*2*4 + 4
        specs[Mamba2TensorNames.InProjBias(0)].Should().Equal(52L);
        specs[Mamba2TensorNames.Conv1dWeight(1)].Should().Equal(32L, 1L, 4L); // 16 + 2*2*4
        specs[Mamba2TensorNames.Conv1dBias(1)].Should().Equal(32L);
        specs[Mamba2TensorNames.ALog(1)].Should().Equal(4L);
        specs[Mamba2TensorNames.MixerNorm(0)].Should().Equal(16L);
        specs[Mamba2TensorNames.OutProjWeight(0)].Should().Equal(8L, 16L);
        specs[Mamba2TensorNames.OutProjBias(0)].Should().Equal(8L);
        specs[Mamba2TensorNames.LmHead].Should().Equal(16L, 8L);
        specs.Keys.Should().Contain("backbone.layers.1.mixer.dt_bias").And.Contain("backbone.norm_f.weight");
    }

    [Fact]
    public void A_sharded_checkpoint_opens()
    {
        Mamba2CheckpointWriter.Save(folder.Path, TinyMamba2.Config, TinyMamba2.Tensors(TinyMamba2.Config), SafetensorsDtype.BF16, maxShardBytes: 1024);
        using var checkpoint = Mamba2Checkpoint.Open(folder.Path);

        checkpoint.Tensors.IsSharded.Should().BeTrue();
        checkpoint.Tensors.Files.Count.Should().BeGreaterThan(1);
        checkpoint.ReadFloat32(Mamba2TensorNames.NormF).Should().HaveCount(8);
    }

    [Fact]
    public void A_missing_tensor_names_the_file_the_tensor_and_the_expected_shape()
    {
        var tensors = WeightsFor(TinyMamba2.Config);
        tensors.RemoveAll(t => t.Name == Mamba2TensorNames.Conv1dWeight(1));
        WriteRaw(TinyMamba2.Config, tensors);

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.File.Should().Be(folder.File("model.safetensors"));
        error.Item.Should().Be("backbone.layers.1.mixer.conv1d.weight");
        error.Message.Should().Contain("missing").And.Contain("[32, 1, 4]");
    }

    [Fact]
    public void A_wrong_shape_names_the_expected_and_the_actual_shape()
    {
        var tensors = WeightsFor(TinyMamba2.Config);
        int at = tensors.FindIndex(t => t.Name == Mamba2TensorNames.OutProjWeight(0));
        tensors[at] = tensors[at] with { Shape = [16, 8] }; // transposed
        WriteRaw(TinyMamba2.Config, tensors);

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("backbone.layers.0.mixer.out_proj.weight");
        error.Message.Should().Contain("shape is [16, 8]").And.Contain("needs [8, 16]").And.Contain("hidden_size=8");
    }

    [Fact]
    public void A_config_that_does_not_belong_to_the_weights_is_caught_by_shape()
    {
        WriteRaw(TinyMamba2.Config, WeightsFor(TinyMamba2.Config));
        (TinyMamba2.Config with { VocabSize = 32 }).Save(folder.File("config.json"));

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be(Mamba2TensorNames.Embeddings);
        error.Message.Should().Contain("[16, 8]").And.Contain("[32, 8]");
    }

    [Fact]
    public void A_config_claiming_billions_of_layers_fails_fast_at_the_first_missing_layer()
    {
        WriteRaw(TinyMamba2.Config, WeightsFor(TinyMamba2.Config));
        (TinyMamba2.Config with { NumHiddenLayers = int.MaxValue }).Save(folder.File("config.json"));

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be(Mamba2TensorNames.LayerNorm(2));
    }

    [Fact]
    public void Tied_embeddings_make_the_lm_head_optional()
    {
        var config = TinyMamba2.Config with { TieWordEmbeddings = true };
        var tensors = TinyMamba2.Tensors(config);
        tensors.Should().NotContainKey(Mamba2TensorNames.LmHead);

        Mamba2CheckpointWriter.Save(folder.Path, config, tensors, SafetensorsDtype.F32);
        using var checkpoint = Mamba2Checkpoint.Open(folder.Path);

        checkpoint.HasLmHead.Should().BeFalse();
        checkpoint.LmHeadTensor.Should().Be(Mamba2TensorNames.Embeddings);
    }

    [Fact]
    public void Untied_embeddings_require_the_lm_head()
    {
        var tensors = WeightsFor(TinyMamba2.Config);
        tensors.RemoveAll(t => t.Name == Mamba2TensorNames.LmHead);
        WriteRaw(TinyMamba2.Config, tensors);

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be(Mamba2TensorNames.LmHead);
    }

    [Fact]
    public void Biases_are_required_when_the_config_says_so()
    {
        WriteRaw(TinyMamba2.Config with { UseBias = true }, WeightsFor(TinyMamba2.Config));

        FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path))
            .Should().Throw<ModelFormatException>().Which.Item.Should().Be("backbone.layers.0.mixer.in_proj.bias");
    }

    [Fact]
    public void Extra_tensors_are_listed_not_rejected()
    {
        var tensors = WeightsFor(TinyMamba2.Config);
        tensors.Add(new SafetensorsTensor("backbone.layers.0.mixer.extra", SafetensorsDtype.F32, [1], new float[1]));
        WriteRaw(TinyMamba2.Config, tensors);

        using var checkpoint = Mamba2Checkpoint.Open(folder.Path);

        checkpoint.UnexpectedTensors.Should().Equal("backbone.layers.0.mixer.extra");
    }

    [Fact]
    public void A_missing_config_names_config_json()
    {
        CheckpointWriter.Save(folder.Path, WeightsFor(TinyMamba2.Config));

        var error = FluentActions.Invoking(() => Mamba2Checkpoint.Open(folder.Path)).Should().Throw<ModelFormatException>().Which;

        error.File.Should().Be(folder.File("config.json"));
        error.Message.Should().Contain("not found");
    }

    [Fact]
    public void The_writer_checks_tensors_against_the_config_before_writing()
    {
        var config = TinyMamba2.Config;
        var unknown = TinyMamba2.Tensors(config);
        unknown["backbone.layers.9.norm.weight"] = new float[8];
        var shortTensor = TinyMamba2.Tensors(config);
        shortTensor[Mamba2TensorNames.DtBias(0)] = new float[3];
        var missing = TinyMamba2.Tensors(config);
        missing.Remove(Mamba2TensorNames.D(1));

        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, config, unknown, SafetensorsDtype.F32))
            .Should().Throw<ArgumentException>().WithMessage("*layers.9*");
        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, config, shortTensor, SafetensorsDtype.F32))
            .Should().Throw<ArgumentException>().WithMessage("*3 values*needs 4*");
        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, config, missing, SafetensorsDtype.F32))
            .Should().Throw<ArgumentException>().WithMessage("*mixer.D*missing*");
        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, config with { NGroups = 3 }, TinyMamba2.Tensors(config), SafetensorsDtype.F32))
            .Should().Throw<ModelFormatException>().Which.Item.Should().Be("n_groups");
        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, config, TinyMamba2.Tensors(config), SafetensorsDtype.I8))
            .Should().Throw<ArgumentException>();
        folder.FileNames().Should().BeEmpty();
    }

    [Fact]
    public void Saving_twice_needs_overwrite()
    {
        Mamba2CheckpointWriter.Save(folder.Path, TinyMamba2.Config, TinyMamba2.Tensors(TinyMamba2.Config), SafetensorsDtype.F32);

        FluentActions.Invoking(() => Mamba2CheckpointWriter.Save(folder.Path, TinyMamba2.Config, TinyMamba2.Tensors(TinyMamba2.Config, seed: 2), SafetensorsDtype.F16))
            .Should().Throw<IOException>();
        Mamba2CheckpointWriter.Save(folder.Path, TinyMamba2.Config, TinyMamba2.Tensors(TinyMamba2.Config, seed: 2), SafetensorsDtype.F16, overwrite: true);

        using var checkpoint = Mamba2Checkpoint.Open(folder.Path);
        checkpoint.Config.TorchDtype.Should().Be("float16");
        checkpoint.Tensors.GetTensor(Mamba2TensorNames.NormF).Dtype.Should().Be(SafetensorsDtype.F16);
    }

    private static List<SafetensorsTensor> WeightsFor(Mamba2Config config) =>
        Mamba2TensorSpec.For(config)
            .Select(s => new SafetensorsTensor(s.Name, SafetensorsDtype.F32, s.Shape, new float[s.ElementCount]))
            .ToList();

    private void WriteRaw(Mamba2Config config, List<SafetensorsTensor> tensors)
    {
        config.Save(folder.File("config.json"));
        CheckpointWriter.Save(folder.Path, tensors, overwrite: true);
    }
}
