namespace WarmGate.Kernels.Model;

/// <summary>
/// The weights of a Mamba2 language model on the host, in fp32, by transformers tensor name
/// (see <see cref="Mamba2TensorNames"/>). Read from a checkpoint or generated from a seed.
/// </summary>
public sealed class Mamba2Weights
{
    private readonly Dictionary<string, float[]> tensors;

    /// <summary>Wraps tensors already checked against <paramref name="config"/>.</summary>
    /// <exception cref="ModelFormatException">A required tensor is missing or has the wrong element count.</exception>
    public Mamba2Weights(Mamba2Config config, IReadOnlyDictionary<string, float[]> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        Config = config;
        Source = source;
        this.tensors = new Dictionary<string, float[]>(tensors, StringComparer.Ordinal);
        foreach (var spec in Mamba2TensorSpec.For(config))
        {
            if (!this.tensors.TryGetValue(spec.Name, out var data))
            {
                if (spec.Required) throw new ModelFormatException(source, spec.Name, "the tensor is missing.");
                continue;
            }
            if (data.Length != spec.ElementCount)
                throw new ModelFormatException(source, spec.Name, $"expected {spec.ElementCount} elements, found {data.Length}.");
        }
    }

    /// <summary>The model configuration.</summary>
    public Mamba2Config Config { get; }

    /// <summary>Where the weights came from (a folder or <c>builtin:tiny</c>).</summary>
    public string Source { get; }

    /// <summary>Every tensor by name.</summary>
    public IReadOnlyDictionary<string, float[]> Tensors => tensors;

    /// <summary>A tensor by name.</summary>
    public float[] this[string name] => tensors[name];

    /// <summary>Whether a tensor (e.g. an optional bias) is present.</summary>
    public bool Has(string name) => tensors.ContainsKey(name);

    /// <summary>The LM head: <c>lm_head.weight</c>, or the embeddings when tied.</summary>
    public float[] LmHead => tensors.TryGetValue(Mamba2TensorNames.LmHead, out var head) ? head : tensors[Mamba2TensorNames.Embeddings];

    /// <summary>Reads every tensor of an opened checkpoint, converting F16 and BF16 to fp32.</summary>
    public static Mamba2Weights FromCheckpoint(Mamba2Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var data = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var spec in checkpoint.Expected)
        {
            if (checkpoint.Tensors.Contains(spec.Name))
                data[spec.Name] = checkpoint.ReadFloat32(spec.Name);
        }
        return new Mamba2Weights(checkpoint.Config, data, checkpoint.Folder);
    }

    /// <summary>
    /// Generates weights from a seed, initialised the way Mamba2 is (A from 1..H, D = 1, dt bias
    /// the inverse softplus of a dt in [time_step_min, time_step_max], small uniform matrices), so
    /// the model's activations stay in a realistic range.
    /// </summary>
    public static Mamba2Weights Seeded(Mamba2Config config, int seed, string source = "seeded")
    {
        ArgumentNullException.ThrowIfNull(config);
        var rng = new Random(seed);
        float[] Uniform(long count, double scale) =>
            Enumerable.Range(0, checked((int)count)).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * scale)).ToArray();
        float[] NearOne(long count) =>
            Enumerable.Range(0, checked((int)count)).Select(_ => (float)(1 + (((rng.NextDouble() * 2) - 1) * 0.1))).ToArray();

        var data = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var spec in Mamba2TensorSpec.For(config))
        {
            if (!spec.Required && spec.Name == Mamba2TensorNames.LmHead && config.TieWordEmbeddings) continue;
            var name = spec.Name;
            var fanIn = spec.Shape[^1];
            data[name] = name switch
            {
                _ when name.EndsWith("A_log", StringComparison.Ordinal) =>
                    Enumerable.Range(1, config.NumHeads).Select(h => (float)Math.Log(h)).ToArray(),
                _ when name.EndsWith(".D", StringComparison.Ordinal) => NearOne(spec.ElementCount),
                _ when name.EndsWith("dt_bias", StringComparison.Ordinal) =>
                    Enumerable.Range(0, config.NumHeads).Select(_ =>
                    {
                        var dt = Math.Exp((rng.NextDouble() * (Math.Log(config.TimeStepMax) - Math.Log(config.TimeStepMin))) + Math.Log(config.TimeStepMin));
                        dt = Math.Max(dt, config.TimeStepFloor);
                        return (float)(dt + Math.Log(1 - Math.Exp(-dt)));
                    }).ToArray(),
                _ when name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("norm_f.weight", StringComparison.Ordinal) =>
                    NearOne(spec.ElementCount),
                _ when name.EndsWith("bias", StringComparison.Ordinal) => Uniform(spec.ElementCount, 0.1),
                _ when name == Mamba2TensorNames.Embeddings => Uniform(spec.ElementCount, 1.0),
                _ => Uniform(spec.ElementCount, 1.0 / Math.Sqrt(fanIn)),
            };
        }
        return new Mamba2Weights(config, data, source);
    }
}
