using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>
/// One conv1d scenario: seeded inputs (NaN between strided rows), a random conv-state cache, run
/// through the kernel (host-array entry) and the float64 reference fed the same rounded values.
/// <see cref="CuSeqlens"/> is null for an update (one token per slot row).
/// </summary>
internal sealed record ConvCase(Conv1dShape Shape, Conv1dOptions Options, int[] Slots, int CacheSlots)
{
    public int[]? CuSeqlens { get; init; }

    public bool InitialStates { get; init; }

    public int Pad { get; init; }

    public int Seed { get; init; } = 5;

    public ConvPrefillConfig? PrefillConfig { get; init; }

    public ConvUpdateConfig? UpdateConfig { get; init; }

    public const float Sentinel = -9.5f;

    public int Rows => CuSeqlens?[^1] ?? Slots.Length;

    public Outcome Run(CausalConv1d op) => Options.Input == Dtype.F32 ? Run<float>(op) : Run<Half>(op);

    private Outcome Run<T>(CausalConv1d op)
        where T : unmanaged
    {
        var rng = new Random(Seed);
        int c = Shape.Channels, stride = c + Pad;
        var input = DecodeTestData.Store<T>(DecodeTestData.Rows(rng, Rows, c, stride, -2, 2));
        var weight = DecodeTestData.Uniform(rng, c * Shape.Width);
        var bias = Options.Bias ? DecodeTestData.Uniform(rng, c) : null;
        var state = DecodeTestData.Store<T>(DecodeTestData.Uniform(rng, CacheSlots * Shape.SlotSize, -2, 2));
        var output = DecodeTestData.Store<T>(Enumerable.Repeat(Sentinel, Rows == 0 ? 0 : (Rows - 1) * stride + c).ToArray());

        var before = DecodeTestData.Load(state);
        var refState = before.ToArray();
        var refOutput = new double[Rows * c];
        var denseInput = DecodeTestData.Dense(DecodeTestData.Load(input), Rows, c, stride);
        var w = weight.Select(v => (double)v).ToArray();
        var b = bias?.Select(v => (double)v).ToArray();
        var arrays = new Conv1dArrays<T>
        {
            Input = input, Output = output, Weight = weight, Bias = bias, State = state, InputStride = stride, OutputStride = stride,
        };
        if (CuSeqlens is null)
        {
            Conv1dReference.Update(Shape, Options, denseInput, Slots, w, b, refState, refOutput);
            op.Update(Shape, Options, arrays, Slots, UpdateConfig);
        }
        else
        {
            Conv1dReference.Prefill(Shape, Options, InitialStates, denseInput, CuSeqlens, Slots, w, b, refState, refOutput);
            op.Prefill(Shape, Options, InitialStates, arrays, CuSeqlens, Slots, PrefillConfig);
        }
        return new Outcome(this, DecodeTestData.Load(input), before, DecodeTestData.Load(state), refState, DecodeTestData.Load(output), refOutput);
    }

    /// <summary>What a run produced, with the checks every scenario makes.</summary>
    public sealed record Outcome(
        ConvCase Case, double[] Input, double[] StateBefore, double[] State, double[] RefState, double[] Output, double[] RefOutput)
    {
        private int Stride => Case.Shape.Channels + Case.Pad;

        public double[] Row(double[] strided, int row) => strided.AsSpan(row * Stride, Case.Shape.Channels).ToArray();

        public double[] Slot(double[] state, int slot) => state.AsSpan(slot * Case.Shape.SlotSize, Case.Shape.SlotSize).ToArray();

        /// <summary>The rows of sequence (or update row) <paramref name="s"/>.</summary>
        public IEnumerable<int> RowsOf(int s) =>
            Case.CuSeqlens is null ? [s] : Enumerable.Range(Case.CuSeqlens[s], Case.CuSeqlens[s + 1] - Case.CuSeqlens[s]);

        /// <summary>
        /// Live rows match the reference; the conv state of live slots equals the reference exactly
        /// (it is a copy of inputs); padding rows, row gaps and unnamed slots are untouched.
        /// </summary>
        public void ShouldMatchReference()
        {
            var c = Case.Shape.Channels;
            var live = Enumerable.Range(0, Case.Slots.Length).Where(s => Case.Slots[s] >= 0).ToList();
            live.Should().NotBeEmpty();
            var output = new ToleranceCheck();
            foreach (var r in live.SelectMany(RowsOf))
                output.Add(Row(Output, r), RefOutput.AsSpan(r * c, c));
            output.ShouldPass(DecodeTestData.Tolerance(Case.Options.Input), "conv output");
            foreach (var s in live)
                Slot(State, Case.Slots[s]).Should().Equal(Slot(RefState, Case.Slots[s]), $"the conv state of sequence {s}");
            var liveSlots = live.Select(s => Case.Slots[s]).ToHashSet();
            for (var slot = 0; slot < Case.CacheSlots; slot++)
            {
                if (!liveSlots.Contains(slot))
                    Slot(State, slot).Should().Equal(Slot(StateBefore, slot), $"slot {slot} has no live sequence");
            }
            foreach (var s in Enumerable.Range(0, Case.Slots.Length).Except(live))
            {
                foreach (var r in RowsOf(s))
                    Row(Output, r).Should().OnlyContain(v => v == Sentinel, $"row {r} belongs to padding sequence {s}");
            }
            for (var r = 0; Case.Pad > 0 && r + 1 < Case.Rows; r++)
                Output.AsSpan(r * Stride + c, Case.Pad).ToArray().Should().OnlyContain(v => v == Sentinel, "the gaps between output rows");
        }
    }
}
