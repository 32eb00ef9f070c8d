using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Reference;

/// <summary>
/// The whole Mamba2 language model as a plain float64 sequential recurrence, one token at a
/// time, following transformers' <c>Mamba2ForCausalLM</c> (torch path): RMSNorm, in_proj, causal
/// conv1d + SiLU, the selective state update with softplus(dt + dt_bias) clamped to
/// time_step_limit, D skip, the gated RMSNorm per group, out_proj, residual, final norm, LM head.
/// No ILGPU: it is the ground truth the device model is tested against.
/// </summary>
public sealed class Mamba2Reference
{
    private readonly Mamba2Weights weights;
    private readonly Mamba2Config config;

    /// <summary>Creates the reference over <paramref name="weights"/>.</summary>
    public Mamba2Reference(Mamba2Weights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        this.weights = weights;
        config = weights.Config;
    }

    /// <summary>A fresh (all-zero) recurrent state for one sequence.</summary>
    public Mamba2ReferenceState NewState() => new(config);

    /// <summary>Feeds <paramref name="tokens"/> one by one and returns the logits after each.</summary>
    public double[][] Forward(ReadOnlySpan<int> tokens, Mamba2ReferenceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var logits = new double[tokens.Length][];
        for (var t = 0; t < tokens.Length; t++)
            logits[t] = Step(tokens[t], state);
        return logits;
    }

    /// <summary>Greedy generation: the prompt, then <paramref name="maxNewTokens"/> arg-max tokens.</summary>
    public int[] Generate(ReadOnlySpan<int> prompt, int maxNewTokens)
    {
        var state = NewState();
        var logits = Forward(prompt, state);
        var generated = new int[maxNewTokens];
        var last = logits[^1];
        for (var i = 0; i < maxNewTokens; i++)
        {
            generated[i] = ArgMax(last);
            if (i + 1 < maxNewTokens) last = Step(generated[i], state);
        }
        return generated;
    }

    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var best = 0;
        for (var i = 1; i < values.Count; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private double[] Step(int token, Mamba2ReferenceState state)
    {
        var hidden = config.HiddenSize;
        if ((uint)token >= (uint)config.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Token id outside the vocabulary [0, {config.VocabSize}).");
        var h = new double[hidden];
        var emb = weights[Mamba2TensorNames.Embeddings];
        for (var i = 0; i < hidden; i++) h[i] = emb[(token * hidden) + i];

        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var normed = RmsNorm(h, weights[Mamba2TensorNames.LayerNorm(layer)], 0, hidden);
            var mixed = Mixer(layer, normed, state);
            for (var i = 0; i < hidden; i++) h[i] += mixed[i];
        }
        var final = RmsNorm(h, weights[Mamba2TensorNames.NormF], 0, hidden);
        return MatVec(weights.LmHead, config.VocabSize, hidden, final, null);
    }

    private double[] Mixer(int layer, double[] input, Mamba2ReferenceState state)
    {
        int inner = config.IntermediateSize, convDim = config.ConvDim, heads = config.NumHeads;
        int p = config.HeadDim, n = config.StateSize, groups = config.NGroups, k = config.ConvKernel;
        var proj = MatVec(
            weights[Mamba2TensorNames.InProjWeight(layer)], config.InProjOutSize, config.HiddenSize, input,
            weights.Has(Mamba2TensorNames.InProjBias(layer)) ? weights[Mamba2TensorNames.InProjBias(layer)] : null);

        // Causal depthwise conv over the window (k-1 previous inputs, then this one), then SiLU.
        var convWeight = weights[Mamba2TensorNames.Conv1dWeight(layer)];
        var convBias = weights.Has(Mamba2TensorNames.Conv1dBias(layer)) ? weights[Mamba2TensorNames.Conv1dBias(layer)] : null;
        var window = state.Conv[layer];
        var xbc = new double[convDim];
        for (var c = 0; c < convDim; c++)
        {
            var current = proj[inner + c];
            var sum = convBias?[c] ?? 0.0;
            for (var j = 0; j < k - 1; j++) sum += convWeight[(c * k) + j] * window[(c * (k - 1)) + j];
            sum += convWeight[(c * k) + k - 1] * current;
            for (var j = 0; j < k - 2; j++) window[(c * (k - 1)) + j] = window[(c * (k - 1)) + j + 1];
            if (k > 1) window[(c * (k - 1)) + k - 2] = current;
            xbc[c] = Silu(sum);
        }

        var aLog = weights[Mamba2TensorNames.ALog(layer)];
        var dtBias = weights[Mamba2TensorNames.DtBias(layer)];
        var d = weights[Mamba2TensorNames.D(layer)];
        var ssm = state.Ssm[layer];
        var y = new double[inner];
        var headsPerGroup = heads / groups;
        for (var head = 0; head < heads; head++)
        {
            var g = head / headsPerGroup;
            var dt = Softplus(proj[inner + convDim + head] + dtBias[head]);
            dt = Math.Clamp(dt, config.TimeStepLimitMin, config.TimeStepLimitMax);
            var decay = Math.Exp(dt * -Math.Exp(aLog[head]));
            for (var pi = 0; pi < p; pi++)
            {
                var x = xbc[(head * p) + pi];
                var acc = 0.0;
                for (var ni = 0; ni < n; ni++)
                {
                    var index = (((head * p) + pi) * n) + ni;
                    var b = xbc[inner + (g * n) + ni];
                    var c = xbc[inner + (groups * n) + (g * n) + ni];
                    ssm[index] = (decay * ssm[index]) + (dt * x * b);
                    acc += ssm[index] * c;
                }
                y[(head * p) + pi] = acc + (d[head] * x);
            }
        }

        // Gated RMSNorm per group: y · silu(gate), normalised over inner / n_groups channels.
        var gated = new double[inner];
        for (var i = 0; i < inner; i++) gated[i] = y[i] * Silu(proj[i]);
        var normWeight = weights[Mamba2TensorNames.MixerNorm(layer)];
        var groupSize = inner / groups;
        var normed = new double[inner];
        for (var g = 0; g < groups; g++)
        {
            var part = RmsNorm(gated, normWeight, g * groupSize, groupSize);
            Array.Copy(part, 0, normed, g * groupSize, groupSize);
        }
        return MatVec(
            weights[Mamba2TensorNames.OutProjWeight(layer)], config.HiddenSize, inner, normed,
            weights.Has(Mamba2TensorNames.OutProjBias(layer)) ? weights[Mamba2TensorNames.OutProjBias(layer)] : null);
    }

    private double[] RmsNorm(double[] x, float[] weight, int start, int count)
    {
        var sum = 0.0;
        for (var i = 0; i < count; i++) sum += x[start + i] * x[start + i];
        var scale = 1.0 / Math.Sqrt((sum / count) + config.LayerNormEpsilon);
        var y = new double[count];
        for (var i = 0; i < count; i++) y[i] = weight[start + i] * x[start + i] * scale;
        return y;
    }

    private static double[] MatVec(float[] w, int rows, int cols, double[] x, float[]? bias)
    {
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var sum = bias?[r] ?? 0.0;
            for (var c = 0; c < cols; c++) sum += w[((long)r * cols) + c] * x[c];
            y[r] = sum;
        }
        return y;
    }

    private static double Silu(double v) => v / (1 + Math.Exp(-v));

    private static double Softplus(double u) => u > 20 ? u : Math.Log(1 + Math.Exp(u));
}

/// <summary>The recurrent state of one sequence in <see cref="Mamba2Reference"/>: conv windows and SSM states per layer.</summary>
public sealed class Mamba2ReferenceState
{
    internal Mamba2ReferenceState(Mamba2Config config)
    {
        Conv = Enumerable.Range(0, config.NumHiddenLayers)
            .Select(_ => new double[config.ConvDim * (config.ConvKernel - 1)]).ToArray();
        Ssm = Enumerable.Range(0, config.NumHiddenLayers)
            .Select(_ => new double[config.NumHeads * config.HeadDim * config.StateSize]).ToArray();
    }

    /// <summary>Per layer: conv_dim × (conv_kernel − 1) previous inputs, oldest first.</summary>
    public double[][] Conv { get; }

    /// <summary>Per layer: heads × head_dim × state_size.</summary>
    public double[][] Ssm { get; }
}
