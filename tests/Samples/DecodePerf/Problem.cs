using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Reference;

namespace WarmGate.Samples.DecodePerf;

/// <summary>
/// One decode step at one batch size, fp32, on the device: inputs as in <c>warmgate bench</c>
/// (row i updates slot b − 1 − i), a cache of <see cref="Sets"/> × b slots so that back-to-back
/// launches can rotate over more state than the 60 MB L2 holds, and the float64 reference of set 0.
/// </summary>
public sealed class Problem : IDisposable
{
    public static readonly StateUpdateShape Shape = new(80, 64, 1, 128);

    public static readonly StateUpdateOptions Options = new(D: DSkip.PerHead, Z: false, DtBias: true, DtSoftplus: true);

    private readonly List<IDisposable> owned = [];

    public Problem(Accelerator accelerator, int batch, int seed)
    {
        Batch = batch;
        var slotBytes = (long)Shape.SlotSize * 4;
        Sets = (int)Math.Clamp((320L << 20) / (batch * slotBytes) + 1, 1, 64);
        var random = new Random(seed);
        int h = Shape.Heads, hp = Shape.Channels, gn = Shape.GroupWidth;
        InitialState = Uniform(random, (long)Sets * batch * Shape.SlotSize, -1, 1);
        X = Uniform(random, (long)batch * hp, -1, 1);
        Dt = Uniform(random, (long)batch * h, -3, 1);
        A = Uniform(random, h, -2, -0.5);
        B = Uniform(random, (long)batch * gn, -1, 1);
        C = Uniform(random, (long)batch * gn, -1, 1);
        D = Uniform(random, h, -1, 1);
        DtBias = Uniform(random, h, -1, 0.5);

        State = Own(accelerator.Allocate1D<float>(InitialState.LongLength));
        var x = Own(accelerator.Allocate1D(X));
        var dt = Own(accelerator.Allocate1D(Dt));
        var a = Own(accelerator.Allocate1D(A));
        var b = Own(accelerator.Allocate1D(B));
        var c = Own(accelerator.Allocate1D(C));
        var d = Own(accelerator.Allocate1D(D));
        var bias = Own(accelerator.Allocate1D(DtBias));
        YBuffer = Own(accelerator.Allocate1D<float>((long)batch * hp));
        Views = new StateUpdateViews<float, float>
        {
            State = State.View, X = x.View, Dt = dt.View, A = a.View, B = b.View, C = c.View,
            D = d.View, DtBias = bias.View, Y = YBuffer.View,
        };
        SlotSets = Enumerable.Range(0, Sets)
            .Select(set => Own(new CacheSlots(accelerator, Enumerable.Range(0, batch).Select(i => (set * batch) + batch - 1 - i).ToArray(), Sets * batch)))
            .ToArray();
        (RefState, RefY) = Reference();
    }

    public int Batch { get; }

    /// <summary>Slot sets over disjoint parts of the cache; set 0 is the one checked against the reference.</summary>
    public int Sets { get; }

    public float[] InitialState { get; }

    public float[] X { get; }

    public float[] Dt { get; }

    public float[] A { get; }

    public float[] B { get; }

    public float[] C { get; }

    public float[] D { get; }

    public float[] DtBias { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> State { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> YBuffer { get; }

    public StateUpdateViews<float, float> Views { get; }

    public CacheSlots[] SlotSets { get; }

    /// <summary>The state of slots 0..b−1 (set 0) after one step.</summary>
    public double[] RefState { get; }

    public double[] RefY { get; }

    /// <summary>Bytes one step must move (as <c>warmgate bench</c> counts them): state read and written, inputs, y, parameters.</summary>
    public double Bytes
    {
        get
        {
            double b = Batch, h = Shape.Heads, hp = Shape.Channels, gn = Shape.GroupWidth;
            return (2 * b * Shape.SlotSize * 4) + (b * 4 * ((2 * hp) + h + (2 * gn))) + (4 * b) + (4 * 3 * h);
        }
    }

    /// <summary>Restores the cache, then max|Δ|/max|ref| of set 0's state and of y after <paramref name="run"/> (one step on set 0).</summary>
    public (double State, double Y) Check(AcceleratorStream stream, Action run)
    {
        State.View.CopyFromCPU(stream, InitialState);
        YBuffer.MemSetToZero(stream);
        stream.Synchronize();
        run();
        stream.Synchronize();
        var state = new float[(long)Batch * Shape.SlotSize];
        State.View.SubView(0, state.LongLength).CopyToCPU(stream, state);
        var y = YBuffer.GetAsArray1D(stream);
        return (RelErr(state, RefState), RelErr(y, RefY));
    }

    public void Dispose()
    {
        foreach (var item in owned) item.Dispose();
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private static double RelErr(float[] actual, double[] expected)
    {
        double worst = 0, scale = 0;
        for (long i = 0; i < expected.LongLength; i++)
        {
            var e = Math.Abs(actual[i] - expected[i]);
            if (!(e <= worst)) worst = double.IsNaN(e) ? double.PositiveInfinity : e;
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return worst / scale;
    }

    private (double[] State, double[] Y) Reference()
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
                Rows = 1, X = Widen(X, (long)i * hp, hp), Dt = Widen(Dt, (long)i * h, h), A = a,
                B = Widen(B, (long)i * gn, gn), C = Widen(C, (long)i * gn, gn), D = d, DtBias = bias,
            };
            var s = Batch - 1 - i;
            var rowState = Widen(InitialState, (long)s * slot, slot);
            var rowY = new double[hp];
            DecodeReference.StateUpdate(Shape, Options, row, [0], rowState, rowY);
            Array.Copy(rowState, 0, state, (long)s * slot, slot);
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
