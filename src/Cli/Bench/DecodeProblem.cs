using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Reference;

namespace WarmGate.Cli.Bench;

/// <summary>
/// One decode step over a batch as fp32 host arrays (dense rows), with its float64 reference:
/// row i updates cache slot <c>b − 1 − i</c>, so the slot indirection is exercised.
/// </summary>
internal sealed class DecodeProblem
{
    private DecodeProblem(StateUpdateShape shape, StateUpdateOptions options, int batch, int seed)
    {
        Shape = shape;
        Options = options;
        Batch = batch;
        var random = new Random(seed);
        int h = shape.Heads, hp = shape.Channels, gn = shape.GroupWidth;
        State = Uniform(random, (long)batch * shape.SlotSize, -1, 1);
        X = Uniform(random, (long)batch * hp, -1, 1);
        Dt = Uniform(random, (long)batch * h, -3, 1);
        A = Uniform(random, h, -2, -0.5);
        B = Uniform(random, (long)batch * gn, -1, 1);
        C = Uniform(random, (long)batch * gn, -1, 1);
        D = Uniform(random, h, -1, 1);
        DtBias = Uniform(random, h, -1, 0.5);
        Slots = Enumerable.Range(0, batch).Select(i => batch - 1 - i).ToArray();
    }

    /// <summary>The layer shape.</summary>
    public StateUpdateShape Shape { get; }

    /// <summary>The code path: fp32 input and state, D per head, dt bias and softplus, no z.</summary>
    public StateUpdateOptions Options { get; }

    /// <summary>The batch size (also the cache's slot count).</summary>
    public int Batch { get; }

    /// <summary>The state cache before the step, batch × H × P × N.</summary>
    public float[] State { get; }

    /// <summary>x, batch × H·P.</summary>
    public float[] X { get; }

    /// <summary>Raw dt, batch × H.</summary>
    public float[] Dt { get; }

    /// <summary>A, H.</summary>
    public float[] A { get; }

    /// <summary>B, batch × G·N.</summary>
    public float[] B { get; }

    /// <summary>C, batch × G·N.</summary>
    public float[] C { get; }

    /// <summary>D, per head.</summary>
    public float[] D { get; }

    /// <summary>dt bias, H.</summary>
    public float[] DtBias { get; }

    /// <summary>The cache slot of each row.</summary>
    public int[] Slots { get; }

    /// <summary>Seeded inputs for the Mamba2 decode path in fp32.</summary>
    public static DecodeProblem Create(StateUpdateShape shape, int batch, int seed) =>
        new(shape, new StateUpdateOptions(D: DSkip.PerHead, Z: false, DtBias: true, DtSoftplus: true), batch, seed);

    /// <summary>
    /// The float64 reference of one step: the state after it (batch × H × P × N) and y
    /// (batch × H·P). Rows are independent, so they run in parallel, one slot each.
    /// </summary>
    public (double[] State, double[] Y) Reference()
    {
        int h = Shape.Heads, hp = Shape.Channels, gn = Shape.GroupWidth, slot = Shape.SlotSize;
        var state = new double[(long)Batch * slot];
        var y = new double[(long)Batch * hp];
        var a = Widen(A, 0, h);
        var d = Widen(D, 0, h);
        var bias = Widen(DtBias, 0, h);
        Parallel.For(0, Batch, i =>
        {
            var row = new DecodeInputs
            {
                Rows = 1,
                X = Widen(X, (long)i * hp, hp),
                Dt = Widen(Dt, (long)i * h, h),
                A = a,
                B = Widen(B, (long)i * gn, gn),
                C = Widen(C, (long)i * gn, gn),
                D = d,
                DtBias = bias,
            };
            var rowState = Widen(State, (long)Slots[i] * slot, slot);
            var rowY = new double[hp];
            DecodeReference.StateUpdate(Shape, Options, row, [0], rowState, rowY);
            Array.Copy(rowState, 0, state, (long)Slots[i] * slot, slot);
            Array.Copy(rowY, 0, y, (long)i * hp, hp);
        });
        return (state, y);
    }

    private static double[] Widen(float[] values, long start, int count)
    {
        var result = new double[count];
        for (var i = 0; i < count; i++) result[i] = values[start + i];
        return result;
    }

    private static float[] Uniform(Random random, long count, double lo, double hi)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(lo + (random.NextDouble() * (hi - lo)));
        return values;
    }
}
