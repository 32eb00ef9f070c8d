namespace WarmGate.Kernels.Model;

/// <summary>
/// Saves a Mamba2 checkpoint folder (config.json plus safetensors weights) that
/// <see cref="Mamba2Checkpoint.Open"/> and transformers' <c>Mamba2ForCausalLM.from_pretrained</c>
/// read. Everything is checked against the config before any file is written.
/// </summary>
public static class Mamba2CheckpointWriter
{
    /// <summary>Writes <paramref name="config"/> and <paramref name="tensors"/> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The checkpoint folder (created if missing).</param>
    /// <param name="config">The configuration; it is validated, and its <c>torch_dtype</c> is set from <paramref name="dtype"/>.</param>
    /// <param name="tensors">Tensor name to values, row-major; every required tensor of
    /// <see cref="Mamba2TensorSpec.For"/> with exactly its element count, <c>lm_head.weight</c>
    /// optional when tied, nothing else.</param>
    /// <param name="dtype">Storage dtype of every tensor: F32, F16 or BF16.</param>
    /// <param name="maxShardBytes">Largest shard; 0 or less writes one <c>model.safetensors</c>.</param>
    /// <param name="overwrite">Replace a checkpoint already in the folder (see <see cref="CheckpointWriter.Save"/>).</param>
    /// <exception cref="ModelFormatException">The config is invalid.</exception>
    /// <exception cref="ArgumentException">A tensor is missing, unknown or of the wrong size, or the dtype is not a float type.</exception>
    /// <exception cref="IOException">The folder already holds a checkpoint and <paramref name="overwrite"/> is false.</exception>
    public static void Save(string folder, Mamba2Config config, IReadOnlyDictionary<string, float[]> tensors, SafetensorsDtype dtype, long maxShardBytes = 0, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        string configPath = Path.Combine(folder, Mamba2Checkpoint.ConfigFileName);
        config.Validate(configPath);
        if (!dtype.IsFloatConvertible())
            throw new ArgumentException($"dtype {dtype.HeaderName()} is not a float type; use F32, F16 or BF16.", nameof(dtype));

        var items = new List<SafetensorsTensor>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in Mamba2TensorSpec.Enumerate(config))
        {
            known.Add(spec.Name);
            if (!tensors.TryGetValue(spec.Name, out var values))
            {
                if (spec.Required)
                    throw new ArgumentException($"Tensor '{spec.Name}' (shape {SafetensorsTensorInfo.FormatShape(spec.Shape)}) is missing.", nameof(tensors));
                continue;
            }

            ArgumentNullException.ThrowIfNull(values, nameof(tensors));
            if (values.LongLength != spec.ElementCount)
            {
                throw new ArgumentException(
                    $"Tensor '{spec.Name}' has {values.LongLength} values but shape {SafetensorsTensorInfo.FormatShape(spec.Shape)} needs {spec.ElementCount}.",
                    nameof(tensors));
            }

            items.Add(new SafetensorsTensor(spec.Name, dtype, spec.Shape, values));
        }

        foreach (string name in tensors.Keys)
        {
            if (!known.Contains(name))
                throw new ArgumentException($"Tensor '{name}' is not part of a Mamba2 checkpoint for this config.", nameof(tensors));
        }

        if (File.Exists(configPath) && !overwrite)
            throw new IOException($"{folder} already holds a {Mamba2Checkpoint.ConfigFileName}; pass overwrite: true to replace the checkpoint.");

        CheckpointWriter.Save(folder, items, maxShardBytes, overwrite);
        (config with { TorchDtype = TorchDtypeName(dtype) }).Save(configPath);
    }

    private static string TorchDtypeName(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F16 => "float16",
        SafetensorsDtype.BF16 => "bfloat16",
        _ => "float32",
    };
}
