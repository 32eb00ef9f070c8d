namespace WarmGate.Kernels.Model;

/// <summary>The tensor names of a transformers <c>Mamba2ForCausalLM</c> checkpoint.</summary>
public static class Mamba2TensorNames
{
    /// <summary><c>backbone.embeddings.weight</c>: (vocab_size, hidden_size).</summary>
    public const string Embeddings = "backbone.embeddings.weight";

    /// <summary><c>backbone.norm_f.weight</c>: (hidden_size).</summary>
    public const string NormF = "backbone.norm_f.weight";

    /// <summary><c>lm_head.weight</c>: (vocab_size, hidden_size); optional when embeddings are tied.</summary>
    public const string LmHead = "lm_head.weight";

    /// <summary><c>backbone.layers.{layer}.norm.weight</c>: (hidden_size).</summary>
    public static string LayerNorm(int layer) => Layer(layer, "norm.weight");

    /// <summary><c>backbone.layers.{layer}.mixer.in_proj.weight</c>: (in_proj_out, hidden_size).</summary>
    public static string InProjWeight(int layer) => Mixer(layer, "in_proj.weight");

    /// <summary><c>backbone.layers.{layer}.mixer.in_proj.bias</c>: (in_proj_out), when use_bias.</summary>
    public static string InProjBias(int layer) => Mixer(layer, "in_proj.bias");

    /// <summary><c>backbone.layers.{layer}.mixer.conv1d.weight</c>: (conv_dim, 1, conv_kernel).</summary>
    public static string Conv1dWeight(int layer) => Mixer(layer, "conv1d.weight");

    /// <summary><c>backbone.layers.{layer}.mixer.conv1d.bias</c>: (conv_dim), when use_conv_bias.</summary>
    public static string Conv1dBias(int layer) => Mixer(layer, "conv1d.bias");

    /// <summary><c>backbone.layers.{layer}.mixer.dt_bias</c>: (num_heads).</summary>
    public static string DtBias(int layer) => Mixer(layer, "dt_bias");

    /// <summary><c>backbone.layers.{layer}.mixer.A_log</c>: (num_heads); A = -exp(A_log).</summary>
    public static string ALog(int layer) => Mixer(layer, "A_log");

    /// <summary><c>backbone.layers.{layer}.mixer.D</c>: (num_heads), the skip connection.</summary>
    public static string D(int layer) => Mixer(layer, "D");

    /// <summary><c>backbone.layers.{layer}.mixer.norm.weight</c>: (intermediate_size), the gated RMS norm.</summary>
    public static string MixerNorm(int layer) => Mixer(layer, "norm.weight");

    /// <summary><c>backbone.layers.{layer}.mixer.out_proj.weight</c>: (hidden_size, intermediate_size).</summary>
    public static string OutProjWeight(int layer) => Mixer(layer, "out_proj.weight");

    /// <summary><c>backbone.layers.{layer}.mixer.out_proj.bias</c>: (hidden_size), when use_bias.</summary>
    public static string OutProjBias(int layer) => Mixer(layer, "out_proj.bias");

    private static string Layer(int layer, string part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"backbone.layers.{layer}.{part}");
    }

    private static string Mixer(int layer, string part) => Layer(layer, "mixer." + part);
}
