using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

public sealed class Mamba2ConfigTests
{
    // As transformers' save_pretrained writes a Mamba2 config (Python json: bare Infinity/NaN).
    private const string TransformersConfig = """
        {
          "_name_or_path": "/models/NaN Infinity -Infinity \"Infinity\"",
          "architectures": ["Mamba2ForCausalLM"],
          "bos_token_id": 0,
          "chunk_size": 256,
          "conv_kernel": 4,
          "eos_token_id": 0,
          "expand": 2,
          "head_dim": 64,
          "hidden_act": "silu",
          "hidden_size": 4096,
          "initializer_range": NaN,
          "intermediate_size": 8192,
          "layer_norm_epsilon": 1e-05,
          "model_type": "mamba2",
          "n_groups": 8,
          "norm_before_gate": true,
          "num_heads": 128,
          "num_hidden_layers": 64,
          "pad_token_id": null,
          "rescale_prenorm_residual": false,
          "residual_in_fp32": true,
          "rms_norm": true,
          "state_size": 128,
          "some_lower_bound": -Infinity,
          "tie_word_embeddings": false,
          "time_step_floor": 0.0001,
          "time_step_limit": [0.0, Infinity],
          "time_step_max": 0.1,
          "time_step_min": 0.001,
          "time_step_rank": 256,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.44.0.dev0",
          "use_bias": false,
          "use_cache": true,
          "use_conv_bias": true,
          "vocab_size": 32768
        }
        """;

    [Fact]
    public void Parses_a_transformers_config_with_python_non_finite_literals()
    {
        var config = Mamba2Config.Parse(TransformersConfig, "codestral/config.json");

        config.HiddenSize.Should().Be(4096);
        config.NumHeads.Should().Be(128);
        config.HeadDim.Should().Be(64);
        config.NGroups.Should().Be(8);
        config.StateSize.Should().Be(128);
        config.NumHiddenLayers.Should().Be(64);
        config.VocabSize.Should().Be(32768);
        config.LayerNormEpsilon.Should().Be(1e-5);
        config.NormBeforeGate.Should().BeTrue();
        config.TimeStepLimitMin.Should().Be(0.0);
        config.TimeStepLimitMax.Should().Be(double.PositiveInfinity);
        config.PadTokenId.Should().BeNull();
        config.EosTokenId.Should().Be(0);
        config.TorchDtype.Should().Be("bfloat16");
        config.IntermediateSize.Should().Be(8192);
        config.ConvDim.Should().Be(8192 + (2 * 8 * 128));
        config.InProjOutSize.Should().Be((2 * 8192) + (2 * 8 * 128) + 128);
        config.HeadsPerGroup.Should().Be(16);
    }

    [Fact]
    public void Leaves_literal_lookalikes_inside_strings_untouched()
    {
        const string json = """{"model_type": "mamba2", "torch_dtype": "NaN \"Infinity\" -Infinity", "time_step_limit": [-Infinity, NaN]}""";

        // The string keeps its text; the bare tokens become values (and NaN fails validation).
        var act = () => Mamba2Config.Parse(json, "c.json");
        act.Should().Throw<ModelFormatException>().Which.Item.Should().Be("time_step_limit");

        var config = Mamba2Config.Parse(json.Replace("NaN]", "0.5]", StringComparison.Ordinal), "c.json");
        config.TorchDtype.Should().Be("NaN \"Infinity\" -Infinity");
        config.TimeStepLimitMin.Should().Be(double.NegativeInfinity);
        config.TimeStepLimitMax.Should().Be(0.5);
    }

    [Fact]
    public void Missing_fields_take_transformers_defaults()
    {
        var config = Mamba2Config.Parse("""{"model_type": "mamba2"}""");

        config.Should().Be(new Mamba2Config());
        config.NumHeads.Should().Be(128);
        config.HeadDim.Should().Be(64);
        config.VocabSize.Should().Be(32768);
        config.HiddenSize.Should().Be(4096);
        config.StateSize.Should().Be(128);
        config.NumHiddenLayers.Should().Be(64);
        config.Expand.Should().Be(2);
        config.ConvKernel.Should().Be(4);
        config.NGroups.Should().Be(8);
        config.ChunkSize.Should().Be(256);
        config.UseBias.Should().BeFalse();
        config.UseConvBias.Should().BeTrue();
        config.RmsNorm.Should().BeTrue();
        config.ResidualInFp32.Should().BeTrue();
        config.TieWordEmbeddings.Should().BeFalse();
        config.NormBeforeGate.Should().BeFalse();
        (config.PadTokenId, config.BosTokenId, config.EosTokenId).Should().Be((1, 0, 2));
        config.TimeStepLimitMax.Should().Be(double.PositiveInfinity);
        config.LayerNormEpsilon.Should().Be(1e-5);
    }

    [Theory]
    [InlineData("\"model_type\": \"mamba\"", "model_type", "\"mamba\"")]
    [InlineData("\"n_groups\": 3", "n_groups", "not divisible")]
    [InlineData("\"hidden_act\": \"gelu\"", "hidden_act", "\"gelu\"")]
    [InlineData("\"rms_norm\": false", "rms_norm", "false")]
    [InlineData("\"head_dim\": 32", "num_heads", "must equal expand * hidden_size")]
    [InlineData("\"layer_norm_epsilon\": 0", "layer_norm_epsilon", "greater than 0")]
    [InlineData("\"time_step_limit\": [1.0, 0.5]", "time_step_limit", "min <= max")]
    [InlineData("\"time_step_limit\": [0.0]", "time_step_limit", "[min, max]")]
    [InlineData("\"intermediate_size\": 100", "intermediate_size", "100")]
    [InlineData("\"hidden_size\": \"4096\"", "hidden_size", "expected an integer")]
    [InlineData("\"num_heads\": 1.5", "num_heads", "expected an integer")]
    [InlineData("\"use_bias\": 1", "use_bias", "expected true or false")]
    [InlineData("\"vocab_size\": 4294967296", "vocab_size", "out of the 32-bit")]
    public void Unsupported_or_wrongly_typed_values_name_the_file_the_field_and_the_value(string field, string item, string fragment)
    {
        string json = "{\"model_type\": \"mamba2\", " + field + "}";
        if (field.StartsWith("\"model_type\"", StringComparison.Ordinal))
            json = "{" + field + "}";

        var error = FluentActions.Invoking(() => Mamba2Config.Parse(json, "/m/config.json"))
            .Should().Throw<ModelFormatException>().Which;

        error.File.Should().Be("/m/config.json");
        error.Item.Should().Be(item);
        error.Message.Should().Contain("/m/config.json").And.Contain(item).And.Contain(fragment);
    }

    [Theory]
    [InlineData("hidden_size")]
    [InlineData("state_size")]
    [InlineData("num_heads")]
    [InlineData("head_dim")]
    [InlineData("n_groups")]
    [InlineData("chunk_size")]
    [InlineData("conv_kernel")]
    [InlineData("expand")]
    [InlineData("num_hidden_layers")]
    [InlineData("vocab_size")]
    public void Non_positive_sizes_are_rejected(string field)
    {
        string json = $$"""{"model_type": "mamba2", "{{field}}": -2}""";

        var error = FluentActions.Invoking(() => Mamba2Config.Parse(json, "config.json"))
            .Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be(field);
        error.Message.Should().Contain("-2").And.Contain("positive");
    }

    [Fact]
    public void A_mamba_ssm_config_gets_a_conversion_hint()
    {
        var error = FluentActions.Invoking(() => Mamba2Config.Parse("""{"d_model": 768, "n_layer": 24, "ssm_cfg": {}}""", "config.json"))
            .Should().Throw<ModelFormatException>().Which;

        error.Item.Should().Be("model_type");
        error.Message.Should().Contain("missing").And.Contain("mamba_ssm");
    }

    [Fact]
    public void Malformed_json_names_the_file_and_the_line()
    {
        using var folder = new TempFolder();
        string path = folder.File("config.json");
        File.WriteAllText(path, "{\n  \"model_type\": \"mamba2\",\n  \"hidden_size\": 64,,\n}");

        var error = FluentActions.Invoking(() => Mamba2Config.Load(path)).Should().Throw<ModelFormatException>().Which;

        error.File.Should().Be(path);
        error.Item.Should().BeNull();
        error.Message.Should().StartWith(path).And.Contain("not valid JSON").And.Contain("line 3");
    }

    [Theory]
    [InlineData("{\"model_type\": \"mamba2\", \"layer_norm_epsilon\": Infinityx}")]
    [InlineData("{\"model_type\": \"mamba2\", \"layer_norm_epsilon\": 1NaN}")]
    [InlineData("[\"mamba2\"]")]
    [InlineData("")]
    public void Bare_words_that_are_not_python_literals_and_non_objects_are_rejected(string json)
    {
        FluentActions.Invoking(() => Mamba2Config.Parse(json, "x/config.json"))
            .Should().Throw<ModelFormatException>().Which.File.Should().Be("x/config.json");
    }

    [Fact]
    public void A_missing_or_binary_config_file_is_a_clear_error()
    {
        using var folder = new TempFolder();
        string missing = folder.File("config.json");
        FluentActions.Invoking(() => Mamba2Config.Load(missing))
            .Should().Throw<ModelFormatException>().Which.Message.Should().Contain("not found");

        string binary = folder.File("binary.json");
        File.WriteAllBytes(binary, [0x7B, 0xFF, 0xFE, 0x7D]);
        FluentActions.Invoking(() => Mamba2Config.Load(binary))
            .Should().Throw<ModelFormatException>().Which.Message.Should().Contain("UTF-8");
    }

    [Fact]
    public void ToJson_writes_bare_infinity_and_reads_back_equal()
    {
        var config = TinyMamba2.Config with { UseBias = true, TieWordEmbeddings = true, TorchDtype = "float16", EosTokenId = null };

        string json = config.ToJson();

        json.Should().Contain("Infinity").And.NotContain("\"Infinity\"").And.Contain("\"model_type\": \"mamba2\"");
        Mamba2Config.Parse(json).Should().Be(config);
    }

    [Fact]
    public void Eos_token_id_list_gives_its_first_element()
    {
        Mamba2Config.Parse("""{"model_type": "mamba2", "eos_token_id": [7, 9]}""").EosTokenId.Should().Be(7);
    }
}
