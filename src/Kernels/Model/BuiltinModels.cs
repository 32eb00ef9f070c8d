namespace WarmGate.Kernels.Model;

/// <summary>
/// Models that need no files: <c>builtin:tiny</c> is a two-layer Mamba2 with seeded weights,
/// small enough for the CPU accelerator, with n_groups &gt; 1 so the grouped paths are exercised.
/// </summary>
public static class BuiltinModels
{
    /// <summary>The name of the tiny built-in model.</summary>
    public const string Tiny = "builtin:tiny";

    /// <summary>The seed of the tiny model's weights.</summary>
    public const int TinySeed = 20240531;

    /// <summary>The tiny model's configuration.</summary>
    public static Mamba2Config TinyConfig { get; } = new()
    {
        HiddenSize = 32,
        Expand = 2,
        HeadDim = 16,
        NumHeads = 4,
        NGroups = 2,
        StateSize = 16,
        ChunkSize = 16,
        ConvKernel = 4,
        NumHiddenLayers = 2,
        VocabSize = 96,
        LayerNormEpsilon = 1e-5,
        UseBias = false,
        UseConvBias = true,
        TieWordEmbeddings = false,
    };

    /// <summary>Whether <paramref name="model"/> names a built-in model.</summary>
    public static bool IsBuiltin(string model) => model.StartsWith("builtin:", StringComparison.Ordinal);

    /// <summary>
    /// Loads weights for <paramref name="model"/>: <c>builtin:tiny</c>, or a checkpoint folder.
    /// </summary>
    /// <exception cref="ModelFormatException">The folder is not a valid Mamba2 checkpoint, or the built-in name is unknown.</exception>
    public static Mamba2Weights Load(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model == Tiny)
            return Mamba2Weights.Seeded(TinyConfig, TinySeed, Tiny);
        if (IsBuiltin(model))
            throw new ModelFormatException(model, null, $"unknown built-in model; the only one is {Tiny}.");
        using var checkpoint = Mamba2Checkpoint.Open(model);
        return Mamba2Weights.FromCheckpoint(checkpoint);
    }
}
