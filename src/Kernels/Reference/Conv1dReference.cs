using WarmGate.Kernels.Decode;

namespace WarmGate.Kernels.Reference;

/// <summary>
/// Plain float64 C# references for Mamba2's causal depthwise conv1d (no ILGPU). Dense layouts:
/// input and output rows of C; weight C × K; conv-state cache slots × C × (K−1), oldest first.
/// Each sequence is convolved over its extended input "conv state, then its tokens".
/// </summary>
public static class Conv1dReference
{
    /// <summary>
    /// Prefill of a packed varlen batch: each sequence with a non-negative slot writes its output
    /// rows and leaves its last K−1 extended inputs in its slot; padding sequences write nothing.
    /// </summary>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">Bias and SiLU flags.</param>
    /// <param name="initialStates">Whether a sequence starts from its slot's state (else zeros).</param>
    /// <param name="input">T × C.</param>
    /// <param name="cuSeqlens">nseq+1 token offsets.</param>
    /// <param name="slots">nseq slots.</param>
    /// <param name="weight">C × K.</param>
    /// <param name="bias">C values, or null.</param>
    /// <param name="state">slots × C × (K−1), updated in place.</param>
    /// <param name="output">T × C, written.</param>
    public static void Prefill(
        Conv1dShape shape, Conv1dOptions options, bool initialStates, double[] input, int[] cuSeqlens, int[] slots,
        double[] weight, double[]? bias, double[] state, double[] output)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(cuSeqlens);
        ArgumentNullException.ThrowIfNull(slots);
        for (var s = 0; s < slots.Length; s++)
        {
            if (slots[s] < 0) continue;
            var start = cuSeqlens[s];
            var length = cuSeqlens[s + 1] - start;
            var tokens = new double[length][];
            for (var t = 0; t < length; t++)
                tokens[t] = input.AsSpan((start + t) * shape.Channels, shape.Channels).ToArray();
            var outputs = Run(shape, options, initialStates, tokens, slots[s], weight, bias, state);
            for (var t = 0; t < length; t++)
                outputs[t].CopyTo(output, (start + t) * shape.Channels);
        }
    }

    /// <summary>One step for a batch of single tokens: row i convolves slot <c>slots[i]</c>'s state with its input and shifts it in.</summary>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">Bias and SiLU flags.</param>
    /// <param name="input">b × C.</param>
    /// <param name="slots">b slots (negative: padding, writes nothing).</param>
    /// <param name="weight">C × K.</param>
    /// <param name="bias">C values, or null.</param>
    /// <param name="state">slots × C × (K−1), updated in place.</param>
    /// <param name="output">b × C, written for non-padding rows.</param>
    public static void Update(
        Conv1dShape shape, Conv1dOptions options, double[] input, int[] slots, double[] weight, double[]? bias, double[] state, double[] output)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(slots);
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] < 0) continue;
            var token = input.AsSpan(i * shape.Channels, shape.Channels).ToArray();
            Run(shape, options, true, [token], slots[i], weight, bias, state)[0].CopyTo(output, i * shape.Channels);
        }
    }

    /// <summary>Convolves one sequence's tokens from its slot's state (or zeros) and stores the new state.</summary>
    private static double[][] Run(
        Conv1dShape shape, Conv1dOptions options, bool fromState, double[][] tokens, int slot, double[] weight, double[]? bias, double[] state)
    {
        int k1 = shape.StateWidth, width = shape.Width, length = tokens.Length;
        var outputs = new double[length][];
        for (var t = 0; t < length; t++) outputs[t] = new double[shape.Channels];
        for (var c = 0; c < shape.Channels; c++)
        {
            var extended = new double[k1 + length];
            var slotBase = ((long)slot * shape.Channels + c) * k1;
            for (var j = 0; j < k1; j++)
                extended[j] = fromState ? state[slotBase + j] : 0.0;
            for (var t = 0; t < length; t++)
                extended[k1 + t] = tokens[t][c];
            for (var t = 0; t < length; t++)
            {
                var acc = options.Bias ? bias![c] : 0.0;
                for (var k = 0; k < width; k++)
                    acc += weight[c * width + k] * extended[t + k];
                outputs[t][c] = options.Silu ? acc / (1 + Math.Exp(-acc)) : acc;
            }
            for (var j = 0; j < k1; j++)
                state[slotBase + j] = extended[length + j];
        }
        return outputs;
    }
}
