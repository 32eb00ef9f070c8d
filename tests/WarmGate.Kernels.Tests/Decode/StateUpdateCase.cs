using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>
/// One state-update scenario: random seeded inputs in the given dtypes and strides, run through
/// the kernel (host-array entry) and through the float64 reference fed the same rounded values.
/// </summary>
internal sealed record StateUpdateCase(StateUpdateShape Shape, StateUpdateOptions Options, int[] Slots, int CacheSlots)
{
    public int Seed { get; init; } = 7;

    public float DtLo { get; init; } = -3f;

    public float DtHi { get; init; } = 1f;

    /// <summary>Extra elements between rows of x, dt, B, C, z, y (0: dense).</summary>
    public int Pad { get; init; }

    public StateUpdateConfig? Config { get; init; }

    /// <summary>What y rows hold before the run; padding rows must still hold it after.</summary>
    public const float Sentinel = 7.25f;

    public int Batch => Slots.Length;

    public Outcome Run(SelectiveStateUpdate op) => (Options.Input, Options.State) switch
    {
        (Dtype.F32, Dtype.F32) => Run<float, float>(op),
        (Dtype.F32, Dtype.F16) => Run<float, Half>(op),
        (Dtype.F16, Dtype.F32) => Run<Half, float>(op),
        _ => Run<Half, Half>(op),
    };

    private Outcome Run<TIn, TState>(SelectiveStateUpdate op)
        where TIn : unmanaged
        where TState : unmanaged
    {
        var s = Shape;
        var rng = new Random(Seed);
        int hp = s.Channels, gn = s.GroupWidth, h = s.Heads;
        var state = DecodeTestData.Store<TState>(DecodeTestData.Uniform(rng, CacheSlots * s.SlotSize));
        var x = DecodeTestData.Store<TIn>(DecodeTestData.Rows(rng, Batch, hp, hp + Pad));
        var dt = DecodeTestData.Store<TIn>(DecodeTestData.Rows(rng, Batch, h, h + Pad, DtLo, DtHi));
        var a = DecodeTestData.Uniform(rng, h, -2f, -0.1f);
        var b = DecodeTestData.Store<TIn>(DecodeTestData.Rows(rng, Batch, gn, gn + Pad));
        var c = DecodeTestData.Store<TIn>(DecodeTestData.Rows(rng, Batch, gn, gn + Pad));
        var d = Options.D switch
        {
            DSkip.PerHead => DecodeTestData.Uniform(rng, h),
            DSkip.PerChannel => DecodeTestData.Uniform(rng, hp),
            _ => null,
        };
        var z = Options.Z ? DecodeTestData.Store<TIn>(DecodeTestData.Rows(rng, Batch, hp, hp + Pad, -3, 3)) : null;
        var bias = Options.DtBias ? DecodeTestData.Uniform(rng, h, -0.5f, 0.5f) : null;
        var y = DecodeTestData.Store<TIn>(Enumerable.Repeat(Sentinel, Batch == 0 ? 0 : (Batch - 1) * (hp + Pad) + hp).ToArray());

        var refState = DecodeTestData.Load(state);
        var before = refState.ToArray();
        var inputs = new DecodeInputs
        {
            Rows = Batch,
            X = DecodeTestData.Dense(DecodeTestData.Load(x), Batch, hp, hp + Pad),
            Dt = DecodeTestData.Dense(DecodeTestData.Load(dt), Batch, h, h + Pad),
            A = a.Select(v => (double)v).ToArray(),
            B = DecodeTestData.Dense(DecodeTestData.Load(b), Batch, gn, gn + Pad),
            C = DecodeTestData.Dense(DecodeTestData.Load(c), Batch, gn, gn + Pad),
            D = d?.Select(v => (double)v).ToArray(),
            Z = z is null ? null : DecodeTestData.Dense(DecodeTestData.Load(z), Batch, hp, hp + Pad),
            DtBias = bias?.Select(v => (double)v).ToArray(),
        };
        var refY = new double[Batch * hp];
        DecodeReference.StateUpdate(s, Options, inputs, Slots, refState, refY);

        var arrays = new StateUpdateArrays<TIn, TState>
        {
            State = state, X = x, Dt = dt, A = a, B = b, C = c, D = d, Z = z, DtBias = bias, Y = y,
            XStride = hp + Pad, DtStride = h + Pad, BStride = gn + Pad, CStride = gn + Pad,
            ZStride = Options.Z ? hp + Pad : 0, YStride = hp + Pad,
        };
        op.Run(s, Options, arrays, Slots, Config);
        return new Outcome(this, before, DecodeTestData.Load(state), refState, DecodeTestData.Load(y), refY, inputs);
    }

    /// <summary>What a run produced, with the checks every scenario makes.</summary>
    public sealed record Outcome(
        StateUpdateCase Case, double[] StateBefore, double[] State, double[] RefState, double[] Y, double[] RefY, DecodeInputs Inputs)
    {
        private int RowStride => Case.Shape.Channels + Case.Pad;

        public double[] YRow(int row) => Y.AsSpan(row * RowStride, Case.Shape.Channels).ToArray();

        public double[] SlotState(double[] state, int slot) =>
            state.AsSpan(slot * Case.Shape.SlotSize, Case.Shape.SlotSize).ToArray();

        /// <summary>
        /// Live rows match the reference; padding rows, the gaps between y rows and every slot no
        /// live row names are exactly as before.
        /// </summary>
        public void ShouldMatchReference()
        {
            var tol = Math.Max(DecodeTestData.Tolerance(Case.Options.Input), DecodeTestData.Tolerance(Case.Options.State));
            var hp = Case.Shape.Channels;
            var live = Enumerable.Range(0, Case.Batch).Where(i => Case.Slots[i] >= 0).ToList();
            live.Should().NotBeEmpty("a scenario needs at least one live row");
            var y = new ToleranceCheck();
            var state = new ToleranceCheck();
            foreach (var i in live)
            {
                y.Add(YRow(i), RefY.AsSpan(i * hp, hp));
                state.Add(SlotState(State, Case.Slots[i]), SlotState(RefState, Case.Slots[i]));
            }
            y.ShouldPass(tol, "y");
            state.ShouldPass(tol, "state");
            var liveSlots = live.Select(i => Case.Slots[i]).ToHashSet();
            for (var slot = 0; slot < Case.CacheSlots; slot++)
            {
                if (!liveSlots.Contains(slot))
                    SlotState(State, slot).AsSpan().SequenceEqual(SlotState(StateBefore, slot)).Should().BeTrue($"slot {slot} has no live row");
            }
            for (var i = 0; i < Case.Batch; i++)
            {
                if (Case.Slots[i] < 0)
                    YRow(i).Should().OnlyContain(v => v == Sentinel, $"row {i} is padding");
            }
            for (var i = 0; Case.Pad > 0 && i + 1 < Case.Batch; i++)
            {
                Y.AsSpan(i * RowStride + hp, Case.Pad).ToArray().Should().OnlyContain(v => v == Sentinel, "the gaps between y rows are not y");
            }
        }
    }
}
