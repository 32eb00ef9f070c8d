using System.Text;
using System.Text.Json;
using WarmGate.Kernels.IO;

namespace WarmGate.Kernels.Model;

public sealed partial record Mamba2Config
{
    /// <summary>The largest config.json accepted, in bytes (real ones are a few kilobytes).</summary>
    public const int MaxConfigBytes = 16 << 20;

    /// <summary>
    /// Reads and validates a transformers <c>config.json</c>. Accepts Python's bare
    /// <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c> tokens; ignores fields it does not know.
    /// </summary>
    /// <param name="path">Path of the config.json file.</param>
    /// <exception cref="ModelFormatException">The file is missing, too large, not UTF-8, not JSON,
    /// has a field of the wrong type, or describes an unsupported model; names the file and field.</exception>
    public static Mamba2Config Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ModelFormatException(path, null, "file not found; a Mamba2 checkpoint folder needs the config.json that transformers saves.");
            if (info.Length > MaxConfigBytes)
                throw new ModelFormatException(path, null, $"file is {info.Length} bytes, more than the {MaxConfigBytes} a config.json may have; is this the right file?");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }

        if (bytes.Length > MaxConfigBytes)
            throw new ModelFormatException(path, null, $"file is more than the {MaxConfigBytes} bytes a config.json may have.");
        return Parse(DecodeUtf8(bytes, path), path);
    }

    /// <summary>Parses and validates config.json text (see <see cref="Load"/>).</summary>
    /// <param name="json">The text of config.json.</param>
    /// <param name="file">The file named in errors.</param>
    /// <exception cref="ModelFormatException">Naming <paramref name="file"/> and the field.</exception>
    public static Mamba2Config Parse(string json, string file = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(PythonJsonLiterals.QuoteNonFinite(json));
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}" : string.Empty;
            throw new ModelFormatException(file, null, $"is not valid JSON{where}: {e.Message}", e);
        }

        using (document)
        {
            var config = FromJson(document.RootElement, new JsonFields(file));
            config.Validate(file);
            return config;
        }
    }

    /// <summary>
    /// Writes this configuration as transformers would (sorted keys, <c>Infinity</c> as a bare
    /// token), so transformers' <c>from_pretrained</c> and <see cref="Parse"/> both read it back.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("architectures");
            writer.WriteStringValue("Mamba2ForCausalLM");
            writer.WriteEndArray();
            WriteOptionalInt(writer, "bos_token_id", BosTokenId);
            writer.WriteNumber("chunk_size", ChunkSize);
            writer.WriteNumber("conv_kernel", ConvKernel);
            WriteOptionalInt(writer, "eos_token_id", EosTokenId);
            writer.WriteNumber("expand", Expand);
            writer.WriteNumber("head_dim", HeadDim);
            writer.WriteString("hidden_act", HiddenAct);
            writer.WriteNumber("hidden_size", HiddenSize);
            WriteDouble(writer, "layer_norm_epsilon", LayerNormEpsilon);
            writer.WriteString("model_type", ModelType);
            writer.WriteNumber("n_groups", NGroups);
            writer.WriteBoolean("norm_before_gate", NormBeforeGate);
            writer.WriteNumber("num_heads", NumHeads);
            writer.WriteNumber("num_hidden_layers", NumHiddenLayers);
            WriteOptionalInt(writer, "pad_token_id", PadTokenId);
            writer.WriteBoolean("residual_in_fp32", ResidualInFp32);
            writer.WriteBoolean("rms_norm", RmsNorm);
            writer.WriteNumber("state_size", StateSize);
            writer.WriteBoolean("tie_word_embeddings", TieWordEmbeddings);
            WriteDouble(writer, "time_step_floor", TimeStepFloor);
            writer.WriteStartArray("time_step_limit");
            WriteDoubleValue(writer, TimeStepLimitMin);
            WriteDoubleValue(writer, TimeStepLimitMax);
            writer.WriteEndArray();
            WriteDouble(writer, "time_step_max", TimeStepMax);
            WriteDouble(writer, "time_step_min", TimeStepMin);
            if (TorchDtype is not null)
                writer.WriteString("torch_dtype", TorchDtype);
            writer.WriteBoolean("use_bias", UseBias);
            writer.WriteBoolean("use_conv_bias", UseConvBias);
            writer.WriteNumber("vocab_size", VocabSize);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Validates this configuration, then writes it to <paramref name="path"/> atomically.</summary>
    /// <param name="path">Where to write config.json.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Validate(path);
        byte[] bytes = new UTF8Encoding(false).GetBytes(ToJson());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    internal static string DecodeUtf8(byte[] bytes, string file)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            span = span[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException(file, null, $"is not valid UTF-8 text (bad byte at index {e.Index}); is this the right file?", e);
        }
    }

    private static Mamba2Config FromJson(JsonElement root, JsonFields fields)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw fields.Error(null, $"must hold a JSON object, found {JsonFields.Describe(root)}.");

        var config = new Mamba2Config();
        string? modelType = null;
        int? declaredIntermediate = null;
        bool looksLikeMambaSsm = false;
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            string name = property.Name;
            config = name switch
            {
                "hidden_size" => config with { HiddenSize = fields.Int32(v, name) },
                "state_size" => config with { StateSize = fields.Int32(v, name) },
                "num_heads" => config with { NumHeads = fields.Int32(v, name) },
                "head_dim" => config with { HeadDim = fields.Int32(v, name) },
                "n_groups" => config with { NGroups = fields.Int32(v, name) },
                "chunk_size" => config with { ChunkSize = fields.Int32(v, name) },
                "conv_kernel" => config with { ConvKernel = fields.Int32(v, name) },
                "expand" => config with { Expand = fields.Int32(v, name) },
                "num_hidden_layers" => config with { NumHiddenLayers = fields.Int32(v, name) },
                "vocab_size" => config with { VocabSize = fields.Int32(v, name) },
                "layer_norm_epsilon" => config with { LayerNormEpsilon = fields.Double(v, name) },
                "rms_norm" => config with { RmsNorm = fields.Boolean(v, name) },
                "norm_before_gate" => config with { NormBeforeGate = fields.Boolean(v, name) },
                "residual_in_fp32" => config with { ResidualInFp32 = fields.Boolean(v, name) },
                "use_bias" => config with { UseBias = fields.Boolean(v, name) },
                "use_conv_bias" => config with { UseConvBias = fields.Boolean(v, name) },
                "tie_word_embeddings" => config with { TieWordEmbeddings = fields.Boolean(v, name) },
                "time_step_min" => config with { TimeStepMin = fields.Double(v, name) },
                "time_step_max" => config with { TimeStepMax = fields.Double(v, name) },
                "time_step_floor" => config with { TimeStepFloor = fields.Double(v, name) },
                "hidden_act" => config with { HiddenAct = fields.String(v, name) },
                "pad_token_id" => config with { PadTokenId = fields.OptionalInt32(v, name) },
                "bos_token_id" => config with { BosTokenId = fields.OptionalInt32(v, name) },
                "eos_token_id" => config with { EosTokenId = ReadTokenIdOrList(v, name, fields) },
                "torch_dtype" or "dtype" => config with { TorchDtype = v.ValueKind == JsonValueKind.Null ? null : fields.String(v, name) },
                "time_step_limit" => ReadTimeStepLimit(config, v, name, fields),
                _ => config,
            };

            if (name == "model_type")
                modelType = fields.String(v, name);
            else if (name == "intermediate_size" && v.ValueKind != JsonValueKind.Null)
                declaredIntermediate = fields.Int32(v, name);
            else if (name is "d_model" or "n_layer" or "ssm_cfg")
                looksLikeMambaSsm = true;
        }

        if (modelType != ModelType)
        {
            string found = modelType is null ? "it is missing" : $"found \"{modelType}\"";
            string hint = looksLikeMambaSsm
                ? " This looks like a mamba_ssm config (d_model, n_layer, ssm_cfg); convert the checkpoint with transformers' Mamba2 conversion script first."
                : " Only transformers Mamba2 checkpoints (Mamba2ForCausalLM) are supported.";
            throw fields.Error("model_type", $"expected \"{ModelType}\", {found}.{hint}");
        }

        if (declaredIntermediate is int declared && (long)config.Expand * config.HiddenSize != declared)
        {
            throw fields.Error("intermediate_size",
                $"value {declared} disagrees with expand * hidden_size = {config.Expand} * {config.HiddenSize} = {(long)config.Expand * config.HiddenSize}.");
        }

        return config;
    }

    private static int? ReadTokenIdOrList(JsonElement value, string field, JsonFields fields)
    {
        if (value.ValueKind != JsonValueKind.Array)
            return fields.OptionalInt32(value, field);
        int? first = null;
        foreach (var item in value.EnumerateArray())
            first ??= fields.Int32(item, field);
        return first;
    }

    private static Mamba2Config ReadTimeStepLimit(Mamba2Config config, JsonElement value, string field, JsonFields fields)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
            throw fields.Error(field, $"expected [min, max], found {JsonFields.Describe(value)}.");
        return config with
        {
            TimeStepLimitMin = fields.Double(value[0], field),
            TimeStepLimitMax = fields.Double(value[1], field),
        };
    }

    private static void WriteOptionalInt(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is int v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteDoubleValue(writer, value);
    }

    private static void WriteDoubleValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteRawValue(JsonFields.Format(value), skipInputValidation: true);
    }
}
