using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Reference;

/// <summary>
/// The SSD prefill in float64 on the host, without ILGPU: the sequential recurrence (the ground
/// truth, ssd-spec §2, vLLM varlen semantics) and each chunked stage on its own with the same
/// layouts as the kernels (ssd-spec §3), so every kernel can be judged alone.
/// </summary>
/// <remarks>
/// Layouts: processed dt and dA cumsum are H × chunks × Q; chunk states and passed states are
/// chunks × H × P × N (a passed state is the state after its chunk); CB is chunks × G × Q × Q;
/// y is T × H × P; final states are nseq × H × P × N.
/// </remarks>
public static partial class SsdReference
{
    /// <summary>The threshold-20 softplus of ssd-spec §2.</summary>
    public static double Softplus(double u) => u > 20 ? u : Math.Log(1 + Math.Exp(u));

    /// <summary>
    /// Processes one raw dt value: add the head's bias, apply softplus if enabled, then clamp to
    /// [DtMin, DtMax] (always, so without softplus a negative dt becomes 0 by default).
    /// </summary>
    public static double ProcessDt(double raw, int head, SsdHostInputs inputs, SsdOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var u = raw + (options.HasDtBias ? inputs.DtBias![head] : 0.0);
        if (options.DtSoftplus) u = Softplus(u);
        return Math.Min(Math.Max(u, options.DtMin), options.DtMax);
    }

    /// <summary>
    /// The sequential recurrence in float64: for each sequence s and head h, starting from
    /// initial_states[s] (or 0), <c>h_t = exp(dt'·A)·h_{t-1} + dt'·x_tᵀ⊗B_t</c>,
    /// <c>y_t = h_t·C_t + D·x_t</c>, gated by <c>z·σ(z)</c> when z is given.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs do not match the shape and options.</exception>
    public static SsdReferenceResult Recurrence(SsdHostInputs inputs, SsdShape shape, SsdOptions options)
    {
        SsdValidation.ValidateInputs(shape, options, inputs);
        int heads = shape.Heads, p = shape.HeadDim, n = shape.StateSize, nseq = inputs.Sequences;
        var y = new double[(long)inputs.Tokens * shape.HeadWidth];
        var final = new double[(long)nseq * shape.StatePerSequence];
        Parallel.For(0, nseq * heads, sh =>
        {
            int s = sh / heads, h = sh % heads, g = shape.GroupOf(h);
            var state = new double[p * n];
            var stateBase = ((long)s * heads + h) * p * n;
            if (options.HasInitialStates)
            {
                for (var i = 0; i < p * n; i++)
                    state[i] = inputs.InitialStates![stateBase + i];
            }
            for (var t = inputs.CuSeqlens[s]; t < inputs.CuSeqlens[s + 1]; t++)
            {
                var dt = ProcessDt(inputs.Dt[((long)t * inputs.DtStride) + h], h, inputs, options);
                var decay = Math.Exp(dt * inputs.A[h]);
                var xRow = ((long)t * inputs.XStride) + (h * p);
                var bRow = ((long)t * inputs.BStride) + (g * n);
                var cRow = ((long)t * inputs.CStride) + (g * n);
                for (var pi = 0; pi < p; pi++)
                {
                    var x = (double)inputs.X[xRow + pi];
                    var acc = 0.0;
                    for (var ni = 0; ni < n; ni++)
                    {
                        var v = (decay * state[(pi * n) + ni]) + (dt * x * inputs.B[bRow + ni]);
                        state[(pi * n) + ni] = v;
                        acc += v * inputs.C[cRow + ni];
                    }
                    y[(((long)t * heads) + h) * p + pi] = Output(acc, x, t, h, pi, p, inputs, options);
                }
            }
            Array.Copy(state, 0, final, stateBase, p * n);
        });
        return new SsdReferenceResult(y, final);
    }

    /// <summary>Adds the skip term D·x and applies the z gate to one output element.</summary>
    private static double Output(double acc, double x, int t, int h, int pi, int p, SsdHostInputs inputs, SsdOptions options)
    {
        acc += options.DMode switch
        {
            SsdDMode.PerHead => inputs.D![h] * x,
            SsdDMode.PerChannel => inputs.D![(h * p) + pi] * x,
            _ => 0.0,
        };
        if (options.HasZ)
        {
            double z = inputs.Z![((long)t * inputs.ZStride) + (h * p) + pi];
            acc *= z / (1 + Math.Exp(-z));
        }
        return acc;
    }

    /// <summary>Widens fp32 values (a kernel's output) to float64 for a stage reference.</summary>
    public static double[] ToDouble(IReadOnlyList<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new double[values.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = values[i];
        return result;
    }
}
