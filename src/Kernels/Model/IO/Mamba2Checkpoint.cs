namespace WarmGate.Kernels.Model;

/// <summary>
/// A transformers <c>Mamba2ForCausalLM</c> checkpoint folder, opened and checked:
/// <c>config.json</c> is parsed and validated, the weights (single file or sharded) are indexed,
/// and every tensor the config implies is checked to exist with its exact shape and a float
/// dtype (F32, F16 or BF16). Tensor data is read on demand.
/// </summary>
public sealed class Mamba2Checkpoint : IDisposable
{
    /// <summary>The config file name.</summary>
    public const string ConfigFileName = "config.json";

    private Mamba2Checkpoint(string folder, Mamba2Config config, CheckpointReader tensors, IReadOnlyList<Mamba2TensorSpec> expected, IReadOnlyList<string> unexpected)
    {
        Folder = folder;
        Config = config;
        Tensors = tensors;
        Expected = expected;
        UnexpectedTensors = unexpected;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The validated configuration.</summary>
    public Mamba2Config Config { get; }

    /// <summary>The weights, for reading tensor data.</summary>
    public CheckpointReader Tensors { get; }

    /// <summary>The tensors the config implies, with their shapes (see <see cref="Mamba2TensorSpec.For"/>).</summary>
    public IReadOnlyList<Mamba2TensorSpec> Expected { get; }

    /// <summary>Tensors in the checkpoint that a Mamba2ForCausalLM does not use (ignored, as transformers does).</summary>
    public IReadOnlyList<string> UnexpectedTensors { get; }

    /// <summary>Whether the checkpoint has its own <c>lm_head.weight</c>; when false, the LM head is the embedding matrix.</summary>
    public bool HasLmHead => Tensors.Contains(Mamba2TensorNames.LmHead);

    /// <summary>The name of the tensor to use as the LM head: <c>lm_head.weight</c>, or the embeddings when tied and absent.</summary>
    public string LmHeadTensor => HasLmHead ? Mamba2TensorNames.LmHead : Mamba2TensorNames.Embeddings;

    /// <summary>Opens and checks the checkpoint in <paramref name="folder"/>.</summary>
    /// <exception cref="ModelFormatException">Naming the file, the field or tensor, and for a wrong
    /// shape both the expected and the actual shape.</exception>
    public static Mamba2Checkpoint Open(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new ModelFormatException(folder, null, "the checkpoint folder does not exist.");
        var config = Mamba2Config.Load(Path.Combine(folder, ConfigFileName));
        var tensors = CheckpointReader.Open(folder);
        try
        {
            // Lazily: a config that claims more layers than the file holds fails at the first gap.
            foreach (var spec in Mamba2TensorSpec.Enumerate(config))
                Check(tensors, config, spec);
            var expected = Mamba2TensorSpec.For(config);
            var known = expected.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            var unexpected = tensors.TensorNames.Where(n => !known.Contains(n)).ToList();
            return new Mamba2Checkpoint(folder, config, tensors, expected, unexpected);
        }
        catch
        {
            tensors.Dispose();
            throw;
        }
    }

    /// <summary>Reads a tensor as floats.</summary>
    public float[] ReadFloat32(string name) => Tensors.ReadFloat32(name);

    /// <summary>Closes the weight files.</summary>
    public void Dispose() => Tensors.Dispose();

    private static void Check(CheckpointReader tensors, Mamba2Config config, Mamba2TensorSpec spec)
    {
        string expectedShape = SafetensorsTensorInfo.FormatShape(spec.Shape);
        if (!tensors.TryGetTensor(spec.Name, out var info))
        {
            if (!spec.Required)
                return;
            throw new ModelFormatException(tensors.SourceFile, spec.Name,
                $"the tensor is missing; the config ({Describe(config)}) needs it with shape {expectedShape}. Is the checkpoint complete and does config.json belong to it?");
        }

        if (!info.HasShape(spec.Shape))
        {
            throw new ModelFormatException(tensors.FileOf(spec.Name), spec.Name,
                $"shape is {info.ShapeText} but the config ({Describe(config)}) needs {expectedShape}. Does config.json belong to these weights?");
        }

        if (!info.Dtype.IsFloatConvertible())
        {
            throw new ModelFormatException(tensors.FileOf(spec.Name), spec.Name,
                $"dtype is {info.Dtype.HeaderName()}; Mamba2 weights must be F32, F16 or BF16.");
        }
    }

    private static string Describe(Mamba2Config c) =>
        $"vocab_size={c.VocabSize}, hidden_size={c.HiddenSize}, num_hidden_layers={c.NumHiddenLayers}, expand={c.Expand}, " +
        $"num_heads={c.NumHeads}, head_dim={c.HeadDim}, n_groups={c.NGroups}, state_size={c.StateSize}, conv_kernel={c.ConvKernel}";
}
