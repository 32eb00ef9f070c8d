using WarmGate.Kernels.Decode;

namespace WarmGate.Kernels.Reference;

/// <summary>
/// Plain float64 C# references for the Mamba2 decode step (no ILGPU): the batched, slot-indirect
/// state update as the kernel defines it, and the sequential recurrence of one sequence over L
/// tokens, written independently, so tests can check that L decode steps equal L steps of the
/// recurrence. Layouts are dense: x, z, y rows of H·P; dt rows of H; B, C rows of G·N; states
/// H × P × N per slot.
/// </summary>
public static class DecodeReference
{
    /// <summary>softplus with threshold 20: <c>u</c> above 20, else <c>log(1 + e^u)</c>.</summary>
    public static double Softplus(double u) => u > 20 ? u : Math.Log(1 + Math.Exp(u));

    /// <summary>
    /// One decode step: row i updates <c>state[slots[i]]</c> in place and writes y row i; a row
    /// with a negative slot writes nothing.
    /// </summary>
    /// <param name="shape">The model dimensions.</param>
    /// <param name="options">The code path (only the flags and D shape matter here).</param>
    /// <param name="inputs">One row per sequence.</param>
    /// <param name="slots">The cache slot of each row.</param>
    /// <param name="state">The cache, slots × H × P × N.</param>
    /// <param name="y">The output, rows × H·P.</param>
    public static void StateUpdate(
        StateUpdateShape shape, StateUpdateOptions options, DecodeInputs inputs, int[] slots, double[] state, double[] y)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(y);
        int heads = shape.Heads, dim = shape.HeadDim, n = shape.StateDim, hp = shape.Channels, gn = shape.GroupWidth;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] < 0) continue;
            for (var h = 0; h < heads; h++)
            {
                var dt = ProcessDt(options, inputs, i, h);
                var decay = Math.Exp(dt * inputs.A[h]);
                var g = h / shape.HeadsPerGroup;
                for (var p = 0; p < dim; p++)
                {
                    var channel = h * dim + p;
                    var x = inputs.X[i * hp + channel];
                    var row = ((long)slots[i] * hp + channel) * n;
                    var sum = 0.0;
                    for (var k = 0; k < n; k++)
                    {
                        var s = state[row + k] * decay + dt * x * inputs.B[i * gn + g * n + k];
                        state[row + k] = s;
                        sum += s * inputs.C[i * gn + g * n + k];
                    }
                    y[i * hp + channel] = Finish(options, inputs, i * hp + channel, h, channel, sum, x);
                }
            }
        }
    }

    /// <summary>
    /// The sequential recurrence of one sequence over <c>L = inputs.Rows</c> tokens:
    /// <c>h_t = exp(dt'_t·A)·h_{t−1} + dt'_t·x_t ⊗ B_t</c>, <c>y_t = C_t·h_t + D·x_t</c>, gated by z.
    /// </summary>
    /// <param name="shape">The model dimensions.</param>
    /// <param name="options">The code path.</param>
    /// <param name="inputs">One row per token.</param>
    /// <param name="initialState">h_{−1}, H × P × N, or null for zeros.</param>
    /// <returns>y (L × H·P) and the final state h_{L−1} (H × P × N).</returns>
    public static (double[] Y, double[] FinalState) Recurrence(
        StateUpdateShape shape, StateUpdateOptions options, DecodeInputs inputs, double[]? initialState)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        int heads = shape.Heads, dim = shape.HeadDim, n = shape.StateDim, hp = shape.Channels, gn = shape.GroupWidth;
        var h = initialState is null ? new double[shape.SlotSize] : (double[])initialState.Clone();
        var y = new double[inputs.Rows * hp];
        for (var t = 0; t < inputs.Rows; t++)
        {
            for (var head = 0; head < heads; head++)
            {
                var dt = ProcessDt(options, inputs, t, head);
                var aBar = Math.Exp(dt * inputs.A[head]);
                var bOffset = t * gn + head / shape.HeadsPerGroup * n;
                for (var p = 0; p < dim; p++)
                {
                    var channel = head * dim + p;
                    var x = inputs.X[t * hp + channel];
                    for (var k = 0; k < n; k++)
                    {
                        var index = channel * n + k;
                        h[index] = aBar * h[index] + dt * inputs.B[bOffset + k] * x;
                    }
                }
            }
            for (var head = 0; head < heads; head++)
            {
                var cOffset = t * gn + head / shape.HeadsPerGroup * n;
                for (var p = 0; p < dim; p++)
                {
                    var channel = head * dim + p;
                    var dot = 0.0;
                    for (var k = 0; k < n; k++)
                        dot += inputs.C[cOffset + k] * h[channel * n + k];
                    y[t * hp + channel] = Finish(options, inputs, t * hp + channel, head, channel, dot, inputs.X[t * hp + channel]);
                }
            }
        }
        return (y, h);
    }

    private static double ProcessDt(StateUpdateOptions options, DecodeInputs inputs, int row, int head)
    {
        var dt = inputs.Dt[row * inputs.A.Length + head];
        if (options.DtBias) dt += inputs.DtBias![head];
        dt = options.DtSoftplus ? Softplus(dt) : dt;
        return Math.Min(Math.Max(dt, options.DtMin), options.DtMax);
    }

    private static double Finish(StateUpdateOptions options, DecodeInputs inputs, int element, int head, int channel, double dot, double x)
    {
        var y = dot + options.D switch
        {
            DSkip.PerHead => inputs.D![head] * x,
            DSkip.PerChannel => inputs.D![channel] * x,
            _ => 0.0,
        };
        if (!options.Z) return y;
        var z = inputs.Z![element];
        return y * z / (1 + Math.Exp(-z));
    }
}
