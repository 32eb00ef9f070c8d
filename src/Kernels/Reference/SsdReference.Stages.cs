using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Reference;

/// <summary>The chunked stages (ssd-spec §3, vLLM chunk scheme), each on its own, in float64.</summary>
public static partial class SsdReference
{
    /// <summary>
    /// All five stages in float64 chained together: equals <see cref="Recurrence"/> up to
    /// rounding (about 1e-12), whatever the chunk size.
    /// </summary>
    public static SsdReferenceResult Chunked(SsdHostInputs inputs, SsdShape shape, SsdOptions options, int chunkSize)
    {
        SsdValidation.ValidateInputs(shape, options, inputs);
        var table = SsdChunkTable.Build(inputs.CuSeqlens, chunkSize);
        var dt = Cumsum(inputs, shape, options, table);
        var states = ChunkState(inputs, shape, table, dt.Dt, dt.DACumsum);
        var passed = StatePassing(inputs, shape, options, table, states, dt.DACumsum);
        var cb = Bmm(inputs, shape, table);
        var y = ChunkScan(inputs, shape, options, table, dt.Dt, dt.DACumsum, cb, passed);
        return new SsdReferenceResult(y, FinalStates(shape, table, passed));
    }

    /// <summary>
    /// Stage 1 (<c>ssd.cumsum</c>): processed dt and the inclusive in-chunk cumsum of dt·A, both
    /// H × chunks × Q; past a chunk's real length dt is 0 and the cumsum repeats the chunk total.
    /// </summary>
    public static SsdCumsumResult Cumsum(SsdHostInputs inputs, SsdShape shape, SsdOptions options, SsdChunkTable table)
    {
        Check(inputs, shape, options, table);
        int q = table.ChunkSize, chunks = table.Count;
        var dt = new double[(long)shape.Heads * chunks * q];
        var cs = new double[dt.Length];
        for (var h = 0; h < shape.Heads; h++)
        {
            for (var c = 0; c < chunks; c++)
            {
                var sum = 0.0;
                var baseIndex = ((long)h * chunks + c) * q;
                for (var l = 0; l < q; l++)
                {
                    var d = l < table.Lengths[c]
                        ? ProcessDt(inputs.Dt[((long)(table.Starts[c] + l) * inputs.DtStride) + h], h, inputs, options)
                        : 0.0;
                    sum += d * inputs.A[h];
                    dt[baseIndex + l] = d;
                    cs[baseIndex + l] = sum;
                }
            }
        }
        return new SsdCumsumResult(dt, cs);
    }

    /// <summary>
    /// Stage 2 (<c>ssd.chunk_state</c>): each chunk's own state contribution, chunks × H × P × N:
    /// <c>S[c,h,p,n] = Σ_l x[p]·B[n]·dt_l·exp(min(cs_{Q-1} − cs_l, 0))</c>.
    /// </summary>
    public static double[] ChunkState(
        SsdHostInputs inputs, SsdShape shape, SsdChunkTable table, double[] dt, double[] dACumsum)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(table);
        int q = table.ChunkSize, chunks = table.Count, p = shape.HeadDim, n = shape.StateSize;
        Need(dt, (long)shape.Heads * chunks * q, nameof(dt));
        Need(dACumsum, (long)shape.Heads * chunks * q, nameof(dACumsum));
        var states = new double[(long)chunks * shape.StatePerSequence];
        for (var c = 0; c < chunks; c++)
        {
            for (var h = 0; h < shape.Heads; h++)
            {
                var g = shape.GroupOf(h);
                var baseIndex = ((long)h * chunks + c) * q;
                var total = dACumsum[baseIndex + q - 1];
                var outBase = ((long)c * shape.Heads + h) * p * n;
                for (var l = 0; l < table.Lengths[c]; l++)
                {
                    var t = (long)table.Starts[c] + l;
                    var w = dt[baseIndex + l] * Math.Exp(Math.Min(total - dACumsum[baseIndex + l], 0));
                    for (var pi = 0; pi < p; pi++)
                    {
                        var xw = inputs.X[(t * inputs.XStride) + (h * p) + pi] * w;
                        for (var ni = 0; ni < n; ni++)
                            states[outBase + (pi * n) + ni] += xw * inputs.B[(t * inputs.BStride) + (g * n) + ni];
                    }
                }
            }
        }
        return states;
    }

    /// <summary>
    /// Stage 3 (<c>ssd.state_passing</c>): the state after each chunk, chunks × H × P × N, with
    /// <c>s ← exp(cs_{Q-1})·s + S_c</c> per sequence, starting from its initial state or 0.
    /// </summary>
    public static double[] StatePassing(
        SsdHostInputs inputs, SsdShape shape, SsdOptions options, SsdChunkTable table, double[] chunkStates, double[] dACumsum)
    {
        Check(inputs, shape, options, table);
        int q = table.ChunkSize, chunks = table.Count, pn = shape.StatePerHead;
        Need(chunkStates, (long)chunks * shape.StatePerSequence, nameof(chunkStates));
        Need(dACumsum, (long)shape.Heads * chunks * q, nameof(dACumsum));
        var passed = new double[chunkStates.Length];
        var state = new double[pn];
        for (var s = 0; s < table.Sequences; s++)
        {
            for (var h = 0; h < shape.Heads; h++)
            {
                for (var e = 0; e < pn; e++)
                {
                    state[e] = options.HasInitialStates
                        ? inputs.InitialStates![(((long)s * shape.Heads) + h) * pn + e]
                        : 0.0;
                }
                for (var c = table.FirstChunks[s]; c < table.FirstChunks[s + 1]; c++)
                {
                    var scale = Math.Exp(dACumsum[(((long)h * chunks) + c) * q + q - 1]);
                    var chunkBase = (((long)c * shape.Heads) + h) * pn;
                    for (var e = 0; e < pn; e++)
                    {
                        state[e] = (scale * state[e]) + chunkStates[chunkBase + e];
                        passed[chunkBase + e] = state[e];
                    }
                }
            }
        }
        return passed;
    }

    /// <summary>The final states, nseq × H × P × N: the passed state of each sequence's last chunk.</summary>
    public static double[] FinalStates(SsdShape shape, SsdChunkTable table, IReadOnlyList<double> passedStates)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(passedStates);
        var size = shape.StatePerSequence;
        var final = new double[(long)table.Sequences * size];
        for (var s = 0; s < table.Sequences; s++)
        {
            var from = (long)table.LastChunkOf(s) * size;
            for (var i = 0; i < size; i++)
                final[((long)s * size) + i] = passedStates[(int)(from + i)];
        }
        return final;
    }

    /// <summary>
    /// Stage 4 (<c>ssd.bmm</c>): <c>CB[c,g,i,j] = Σ_n C_i[n]·B_j[n]</c>, chunks × G × Q × Q, the
    /// full tile (not only i ≥ j), 0 where i or j is past the chunk's real length.
    /// </summary>
    public static double[] Bmm(SsdHostInputs inputs, SsdShape shape, SsdChunkTable table)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(table);
        int q = table.ChunkSize, n = shape.StateSize;
        var cb = new double[(long)table.Count * shape.Groups * q * q];
        for (var c = 0; c < table.Count; c++)
        {
            for (var g = 0; g < shape.Groups; g++)
            {
                for (var i = 0; i < table.Lengths[c]; i++)
                {
                    var cRow = ((long)(table.Starts[c] + i) * inputs.CStride) + (g * n);
                    for (var j = 0; j < table.Lengths[c]; j++)
                    {
                        var bRow = ((long)(table.Starts[c] + j) * inputs.BStride) + (g * n);
                        var acc = 0.0;
                        for (var ni = 0; ni < n; ni++)
                            acc += (double)inputs.C[cRow + ni] * inputs.B[bRow + ni];
                        cb[((((long)c * shape.Groups) + g) * q + i) * q + j] = acc;
                    }
                }
            }
        }
        return cb;
    }

    /// <summary>
    /// Stage 5 (<c>ssd.chunk_scan</c>): y, T × H × P. Row i of chunk c gets
    /// <c>exp(cs_i)·C_i·h_prev + Σ_{j≤i} CB[i,j]·exp(min(cs_i − cs_j, 0))·dt_j·x_j + D·x_i</c>, gated
    /// by z. h_prev is the passed state of chunk c−1, or at a sequence's first chunk its initial
    /// state (or 0).
    /// </summary>
    public static double[] ChunkScan(
        SsdHostInputs inputs,
        SsdShape shape,
        SsdOptions options,
        SsdChunkTable table,
        double[] dt,
        double[] dACumsum,
        double[] cb,
        double[] passedStates)
    {
        Check(inputs, shape, options, table);
        int q = table.ChunkSize, chunks = table.Count, heads = shape.Heads, p = shape.HeadDim, n = shape.StateSize;
        Need(dt, (long)heads * chunks * q, nameof(dt));
        Need(dACumsum, (long)heads * chunks * q, nameof(dACumsum));
        Need(cb, (long)chunks * shape.Groups * q * q, nameof(cb));
        Need(passedStates, (long)chunks * shape.StatePerSequence, nameof(passedStates));
        var y = new double[(long)inputs.Tokens * shape.HeadWidth];
        for (var c = 0; c < chunks; c++)
        {
            var s = table.SequenceOf[c];
            var first = table.IsFirstOfSequence(c);
            for (var h = 0; h < heads; h++)
            {
                var g = shape.GroupOf(h);
                var baseIndex = ((long)h * chunks + c) * q;
                var cbBase = (((long)c * shape.Groups) + g) * q * q;
                for (var i = 0; i < table.Lengths[c]; i++)
                {
                    var t = table.Starts[c] + i;
                    var csI = dACumsum[baseIndex + i];
                    var cRow = ((long)t * inputs.CStride) + (g * n);
                    for (var pi = 0; pi < p; pi++)
                    {
                        var off = 0.0;
                        if (!first || options.HasInitialStates)
                        {
                            for (var ni = 0; ni < n; ni++)
                            {
                                var prev = first
                                    ? inputs.InitialStates![(((((long)s * heads) + h) * p) + pi) * n + ni]
                                    : passedStates[(((((long)(c - 1) * heads) + h) * p) + pi) * n + ni];
                                off += inputs.C[cRow + ni] * prev;
                            }
                        }
                        var acc = off * Math.Exp(csI);
                        for (var j = 0; j <= i; j++)
                        {
                            var xj = inputs.X[((long)(table.Starts[c] + j) * inputs.XStride) + (h * p) + pi];
                            acc += cb[cbBase + (i * q) + j] * Math.Exp(Math.Min(csI - dACumsum[baseIndex + j], 0))
                                * dt[baseIndex + j] * xj;
                        }
                        var xi = (double)inputs.X[((long)t * inputs.XStride) + (h * p) + pi];
                        y[(((long)t * heads) + h) * p + pi] = Output(acc, xi, t, h, pi, p, inputs, options);
                    }
                }
            }
        }
        return y;
    }

    private static void Check(SsdHostInputs inputs, SsdShape shape, SsdOptions options, SsdChunkTable table)
    {
        SsdValidation.ValidateInputs(shape, options, inputs);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Tokens != inputs.Tokens || table.Sequences != inputs.Sequences)
            throw new ArgumentException(
                $"The chunk table covers {table.Tokens} tokens in {table.Sequences} sequences; the inputs have " +
                $"{inputs.Tokens} tokens in {inputs.Sequences} sequences. Build it from the same cuSeqlens.",
                nameof(table));
    }

    private static void Need(double[] values, long needed, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length < needed)
            throw new ArgumentException($"{name} must hold at least {needed} elements; it holds {values.Length}.", name);
    }
}
