namespace WarmGate.Kernels.Model;

/// <summary>
/// The configuration of a Hugging Face <c>Mamba2ForCausalLM</c> model, as transformers'
/// <c>Mamba2Config</c> writes it to <c>config.json</c> (model_type <c>"mamba2"</c>). Property
/// defaults are transformers' defaults, so a config.json that leaves a field out means the same
/// here as there. Read one with <see cref="Load"/> or <see cref="Parse"/>; build one in code with
/// an object initializer and check it with <see cref="Validate"/>.
/// </summary>
public sealed partial record Mamba2Config
{
    /// <summary>The <c>model_type</c> every accepted config carries.</summary>
    public const string ModelType = "mamba2";

    /// <summary><c>hidden_size</c>: width of the residual stream and the embeddings (default 4096).</summary>
    public int HiddenSize { get; init; } = 4096;

    /// <summary><c>state_size</c>: SSM state size N per head (default 128).</summary>
    public int StateSize { get; init; } = 128;

    /// <summary><c>num_heads</c>: number of SSM heads (default 128).</summary>
    public int NumHeads { get; init; } = 128;

    /// <summary><c>head_dim</c>: channels per head P (default 64).</summary>
    public int HeadDim { get; init; } = 64;

    /// <summary><c>n_groups</c>: groups sharing B and C; divides <see cref="NumHeads"/> (default 8).</summary>
    public int NGroups { get; init; } = 8;

    /// <summary><c>chunk_size</c>: chunk length of the SSD algorithm (default 256).</summary>
    public int ChunkSize { get; init; } = 256;

    /// <summary><c>conv_kernel</c>: width of the causal depthwise convolution (default 4).</summary>
    public int ConvKernel { get; init; } = 4;

    /// <summary><c>expand</c>: <see cref="IntermediateSize"/> = expand * hidden_size (default 2).</summary>
    public int Expand { get; init; } = 2;

    /// <summary><c>num_hidden_layers</c>: number of Mamba2 blocks (default 64).</summary>
    public int NumHiddenLayers { get; init; } = 64;

    /// <summary><c>vocab_size</c>: rows of the embedding and the LM head (default 32768).</summary>
    public int VocabSize { get; init; } = 32768;

    /// <summary><c>layer_norm_epsilon</c>: epsilon of every RMS norm (default 1e-5).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary><c>rms_norm</c>: must be true; the layer norm variant is not supported (default true).</summary>
    public bool RmsNorm { get; init; } = true;

    /// <summary>
    /// <c>norm_before_gate</c> (not a transformers field, but some converted configs carry it,
    /// e.g. Mamba-Codestral with <c>true</c>). transformers' Mamba2 ignores it and always gates
    /// before the norm: <c>norm(y * silu(z))</c>. Default false.
    /// </summary>
    public bool NormBeforeGate { get; init; }

    /// <summary><c>residual_in_fp32</c>: keep the residual stream in float32 (default true).</summary>
    public bool ResidualInFp32 { get; init; } = true;

    /// <summary><c>use_bias</c>: in_proj and out_proj have biases (default false).</summary>
    public bool UseBias { get; init; }

    /// <summary><c>use_conv_bias</c>: conv1d has a bias (default true).</summary>
    public bool UseConvBias { get; init; } = true;

    /// <summary><c>tie_word_embeddings</c>: the LM head reuses the embedding matrix (default false).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Lower bound of <c>time_step_limit</c>, the clamp of dt after softplus (default 0).</summary>
    public double TimeStepLimitMin { get; init; }

    /// <summary>Upper bound of <c>time_step_limit</c> (default +infinity: no clamp).</summary>
    public double TimeStepLimitMax { get; init; } = double.PositiveInfinity;

    /// <summary><c>time_step_min</c>: initialization only; read and kept, not used (default 0.001).</summary>
    public double TimeStepMin { get; init; } = 0.001;

    /// <summary><c>time_step_max</c>: initialization only; read and kept, not used (default 0.1).</summary>
    public double TimeStepMax { get; init; } = 0.1;

    /// <summary><c>time_step_floor</c>: initialization only; read and kept, not used (default 1e-4).</summary>
    public double TimeStepFloor { get; init; } = 1e-4;

    /// <summary><c>hidden_act</c>: must be <c>"silu"</c> (or its alias <c>"swish"</c>).</summary>
    public string HiddenAct { get; init; } = "silu";

    /// <summary><c>pad_token_id</c>, or null (default 1).</summary>
    public int? PadTokenId { get; init; } = 1;

    /// <summary><c>bos_token_id</c>, or null (default 0).</summary>
    public int? BosTokenId { get; init; } = 0;

    /// <summary><c>eos_token_id</c>, or null (default 2). A list in config.json gives its first element.</summary>
    public int? EosTokenId { get; init; } = 2;

    /// <summary>
    /// <c>torch_dtype</c> (or <c>dtype</c>, as newer transformers write it): the dtype the weights
    /// were saved in, such as <c>"bfloat16"</c>; null when absent. Informational only: each
    /// tensor's own dtype in the safetensors header is what is read.
    /// </summary>
    public string? TorchDtype { get; init; }

    /// <summary>expand * hidden_size: channels of x, z and the gated norm.</summary>
    public int IntermediateSize => checked(Expand * HiddenSize);

    /// <summary>intermediate_size + 2 * n_groups * state_size: channels through conv1d (x, B, C).</summary>
    public int ConvDim => checked(IntermediateSize + (2 * NGroups * StateSize));

    /// <summary>2 * intermediate_size + 2 * n_groups * state_size + num_heads: rows of in_proj (z, xBC, dt).</summary>
    public int InProjOutSize => checked((2 * IntermediateSize) + (2 * NGroups * StateSize) + NumHeads);

    /// <summary>num_heads / n_groups: heads that share one group's B and C.</summary>
    public int HeadsPerGroup => NumHeads / NGroups;
}
