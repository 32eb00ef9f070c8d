namespace WarmGate.Kernels.Model;

/// <summary>A tensor a Mamba2 checkpoint should hold, with the shape its config implies.</summary>
/// <param name="Name">The tensor name (see <see cref="Mamba2TensorNames"/>).</param>
/// <param name="Shape">The exact shape, outermost first.</param>
/// <param name="Required">False only for <c>lm_head.weight</c> when embeddings are tied.</param>
public sealed record Mamba2TensorSpec(string Name, IReadOnlyList<long> Shape, bool Required)
{
    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Every tensor a <c>Mamba2ForCausalLM</c> checkpoint for <paramref name="config"/> holds, in
    /// model order: embeddings, each layer's norm and mixer, final norm, LM head.
    /// </summary>
    public static IReadOnlyList<Mamba2TensorSpec> For(Mamba2Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Enumerate(config).ToList();
    }

    /// <summary>The same tensors as <see cref="For"/>, produced lazily (a config may claim billions of layers).</summary>
    internal static IEnumerable<Mamba2TensorSpec> Enumerate(Mamba2Config config)
    {
        long hidden = config.HiddenSize;
        long vocab = config.VocabSize;
        long inner = config.IntermediateSize;
        long heads = config.NumHeads;
        long convDim = config.ConvDim;
        long inProj = config.InProjOutSize;
        yield return new(Mamba2TensorNames.Embeddings, [vocab, hidden], true);
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            yield return new(Mamba2TensorNames.LayerNorm(i), [hidden], true);
            yield return new(Mamba2TensorNames.InProjWeight(i), [inProj, hidden], true);
            if (config.UseBias)
                yield return new(Mamba2TensorNames.InProjBias(i), [inProj], true);
            yield return new(Mamba2TensorNames.Conv1dWeight(i), [convDim, 1, config.ConvKernel], true);
            if (config.UseConvBias)
                yield return new(Mamba2TensorNames.Conv1dBias(i), [convDim], true);
            yield return new(Mamba2TensorNames.DtBias(i), [heads], true);
            yield return new(Mamba2TensorNames.ALog(i), [heads], true);
            yield return new(Mamba2TensorNames.D(i), [heads], true);
            yield return new(Mamba2TensorNames.MixerNorm(i), [inner], true);
            yield return new(Mamba2TensorNames.OutProjWeight(i), [hidden, inner], true);
            if (config.UseBias)
                yield return new(Mamba2TensorNames.OutProjBias(i), [hidden], true);
        }

        yield return new(Mamba2TensorNames.NormF, [hidden], true);
        yield return new(Mamba2TensorNames.LmHead, [vocab, hidden], !config.TieWordEmbeddings);
    }
}
