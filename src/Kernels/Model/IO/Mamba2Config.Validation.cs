namespace WarmGate.Kernels.Model;

public sealed partial record Mamba2Config
{
    /// <summary>
    /// Checks that this configuration is one WarmGate can run: positive sizes, <c>num_heads</c>
    /// divisible by <c>n_groups</c>, <c>num_heads * head_dim == expand * hidden_size</c> (the
    /// check transformers' own <c>Mamba2Config</c> makes), derived sizes within 32-bit range,
    /// activation silu, RMS norm, a positive epsilon and an ordered <c>time_step_limit</c>.
    /// </summary>
    /// <param name="file">The file named in errors (the config.json this came from).</param>
    /// <exception cref="ModelFormatException">Naming <paramref name="file"/>, the field and its value.</exception>
    public void Validate(string file = "config.json")
    {
        ArgumentNullException.ThrowIfNull(file);
        RequirePositive(file, "hidden_size", HiddenSize);
        RequirePositive(file, "state_size", StateSize);
        RequirePositive(file, "num_heads", NumHeads);
        RequirePositive(file, "head_dim", HeadDim);
        RequirePositive(file, "n_groups", NGroups);
        RequirePositive(file, "chunk_size", ChunkSize);
        RequirePositive(file, "conv_kernel", ConvKernel);
        RequirePositive(file, "expand", Expand);
        RequirePositive(file, "num_hidden_layers", NumHiddenLayers);
        RequirePositive(file, "vocab_size", VocabSize);

        if (NumHeads % NGroups != 0)
        {
            throw new ModelFormatException(file, "n_groups",
                $"num_heads ({NumHeads}) is not divisible by n_groups ({NGroups}); every group must hold the same number of heads.");
        }

        long intermediate = (long)Expand * HiddenSize;
        long heads = (long)NumHeads * HeadDim;
        if (heads != intermediate)
        {
            throw new ModelFormatException(file, "num_heads",
                $"num_heads * head_dim = {NumHeads} * {HeadDim} = {heads} must equal expand * hidden_size = {Expand} * {HiddenSize} = {intermediate}; fix num_heads, head_dim or expand.");
        }

        long inProj = (2 * intermediate) + (2L * NGroups * StateSize) + NumHeads;
        if (inProj > int.MaxValue)
        {
            throw new ModelFormatException(file, "hidden_size",
                $"the in_proj output size 2 * {intermediate} + 2 * {NGroups} * {StateSize} + {NumHeads} = {inProj} exceeds {int.MaxValue}; the sizes are not plausible.");
        }

        if (!double.IsFinite(LayerNormEpsilon) || LayerNormEpsilon <= 0)
        {
            throw new ModelFormatException(file, "layer_norm_epsilon",
                $"value {JsonFields.Format(LayerNormEpsilon)} must be a finite number greater than 0.");
        }

        if (HiddenAct is not ("silu" or "swish"))
        {
            throw new ModelFormatException(file, "hidden_act",
                $"value \"{HiddenAct}\" is not supported; Mamba2 gates with \"silu\".");
        }

        if (!RmsNorm)
        {
            throw new ModelFormatException(file, "rms_norm",
                "value false (LayerNorm) is not supported; only RMS-normalized Mamba2 models (rms_norm: true) can be run.");
        }

        if (double.IsNaN(TimeStepLimitMin) || double.IsNaN(TimeStepLimitMax) || TimeStepLimitMin > TimeStepLimitMax)
        {
            throw new ModelFormatException(file, "time_step_limit",
                $"value [{JsonFields.Format(TimeStepLimitMin)}, {JsonFields.Format(TimeStepLimitMax)}] must be [min, max] with min <= max and neither NaN.");
        }
    }

    private static void RequirePositive(string file, string field, int value)
    {
        if (value <= 0)
            throw new ModelFormatException(file, field, $"value {value} must be a positive integer.");
    }
}
