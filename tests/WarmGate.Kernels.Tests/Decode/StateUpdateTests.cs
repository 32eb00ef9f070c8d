using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;

namespace WarmGate.Kernels.Tests.Decode;

public sealed class StateUpdateTests(DecodeDevice device) : IClassFixture<DecodeDevice>
{
    private readonly SelectiveStateUpdate op = new(device.Registry);

    private static StateUpdateCase Case(int heads, int dim, int groups, int n, StateUpdateOptions options, int[]? slots = null, int cache = 4) =>
        new(new StateUpdateShape(heads, dim, groups, n), options, slots ?? [0, 1, 2], cache);

    [Fact]
    public void One_group_fp32_matches_the_reference() =>
        Case(4, 8, 1, 16, new StateUpdateOptions()).Run(op).ShouldMatchReference();

    [Fact]
    public void Every_head_its_own_group_matches_the_reference() =>
        Case(4, 8, 4, 16, new StateUpdateOptions()).Run(op).ShouldMatchReference();

    [Fact]
    public void Groups_between_one_and_H_match_the_reference() =>
        Case(6, 4, 2, 8, new StateUpdateOptions(Z: true)).Run(op).ShouldMatchReference();

    [Fact]
    public void D_per_channel_matches_the_reference() =>
        Case(4, 8, 2, 16, new StateUpdateOptions(D: DSkip.PerChannel)).Run(op).ShouldMatchReference();

    [Fact]
    public void Plain_path_without_D_bias_or_softplus_matches_the_reference() =>
        Case(4, 8, 1, 16, new StateUpdateOptions(D: DSkip.None, DtBias: false, DtSoftplus: false), cache: 3)
            .Run(op).ShouldMatchReference();

    [Fact]
    public void Negative_dt_without_softplus_is_not_clamped()
    {
        // The decode kernel applies no dt limit: a negative dt grows the state (exp(dt·A) > 1).
        var outcome = (Case(2, 4, 1, 8, new StateUpdateOptions(DtBias: false, DtSoftplus: false)) with { DtLo = -1f, DtHi = -0.5f })
            .Run(op);
        outcome.ShouldMatchReference();
        outcome.Inputs.Dt.Should().OnlyContain(dt => dt < 0);
    }

    [Fact]
    public void Softplus_above_threshold_20_passes_dt_through()
    {
        var outcome = (Case(4, 4, 2, 8, new StateUpdateOptions(Z: true)) with { DtLo = 15f, DtHi = 26f }).Run(op);
        outcome.ShouldMatchReference();
        outcome.Inputs.Dt.Should().Contain(dt => dt > 21).And.Contain(dt => dt < 19);
    }

    [Fact]
    public void Softplus_without_dt_bias_matches_the_reference() =>
        Case(4, 8, 1, 16, new StateUpdateOptions(DtBias: false, Z: true)).Run(op).ShouldMatchReference();

    [Fact]
    public void Padding_rows_write_neither_state_nor_y()
    {
        var outcome = Case(4, 8, 2, 16, new StateUpdateOptions(Z: true), slots: [2, -1, 0, -1]).Run(op);
        outcome.ShouldMatchReference();
        outcome.YRow(1).Should().OnlyContain(v => v == StateUpdateCase.Sentinel);
        outcome.SlotState(outcome.State, 1).Should().Equal(outcome.SlotState(outcome.StateBefore, 1));
        outcome.SlotState(outcome.State, 3).Should().Equal(outcome.SlotState(outcome.StateBefore, 3));
    }

    [Fact]
    public void Slot_indirection_updates_the_named_slots_only()
    {
        var outcome = Case(2, 8, 1, 16, new StateUpdateOptions(), slots: [3, 0, 2], cache: 5).Run(op);
        outcome.ShouldMatchReference();
        outcome.SlotState(outcome.State, 3).Should().NotEqual(outcome.SlotState(outcome.StateBefore, 3));
        outcome.SlotState(outcome.State, 1).Should().Equal(outcome.SlotState(outcome.StateBefore, 1));
        outcome.SlotState(outcome.State, 4).Should().Equal(outcome.SlotState(outcome.StateBefore, 4));
    }

    [Fact]
    public void Fp16_state_matches_the_reference() =>
        Case(4, 8, 2, 16, new StateUpdateOptions(State: Dtype.F16, Z: true)).Run(op).ShouldMatchReference();

    [Fact]
    public void Fp16_inputs_match_the_reference() =>
        Case(4, 8, 2, 16, new StateUpdateOptions(Input: Dtype.F16, D: DSkip.PerChannel)).Run(op).ShouldMatchReference();

    [Fact]
    public void Fp16_inputs_and_state_match_the_reference() =>
        Case(4, 8, 1, 16, new StateUpdateOptions(Input: Dtype.F16, State: Dtype.F16, Z: true)).Run(op).ShouldMatchReference();

    [Fact]
    public void Strided_rows_are_read_and_written_at_their_strides() =>
        // The gaps between rows hold NaN in the inputs (reading one would poison y) and the
        // sentinel in y (writing one would show).
        (Case(4, 8, 2, 16, new StateUpdateOptions(Z: true), slots: [1, 0, 3]) with { Pad = 5 }).Run(op).ShouldMatchReference();

    public static TheoryData<string> CpuConfigs() => [.. StateUpdateConfig.Candidates(cuda: false).Select(c => c.ToString())];

    [Theory]
    [MemberData(nameof(CpuConfigs))]
    public void Every_cpu_candidate_handles_ragged_P_and_N(string config) =>
        // P = 6 is not a multiple of TP and N = 13 is not a multiple of the lanes per row.
        (Case(2, 6, 1, 13, new StateUpdateOptions(Z: true, D: DSkip.PerChannel), slots: [1, -1, 0]) with
        {
            Config = StateUpdateConfig.Parse(config),
        }).Run(op).ShouldMatchReference();

    [Fact]
    public void L_decode_steps_equal_the_sequential_recurrence_over_L_tokens()
    {
        var shape = new StateUpdateShape(4, 4, 2, 8);
        var options = new StateUpdateOptions(D: DSkip.PerChannel, Z: true);
        const int steps = 5, cache = 4;
        int[] slots = [3, 1];
        var rng = new Random(11);
        var a = DecodeTestData.Uniform(rng, shape.Heads, -2f, -0.1f);
        var d = DecodeTestData.Uniform(rng, shape.Channels);
        var bias = DecodeTestData.Uniform(rng, shape.Heads, -0.5f, 0.5f);
        var state = DecodeTestData.Uniform(rng, cache * shape.SlotSize);
        var initial = state.Select(v => (double)v).ToArray();
        var tokens = Enumerable.Range(0, steps).Select(_ => new
        {
            X = DecodeTestData.Uniform(rng, slots.Length * shape.Channels),
            Dt = DecodeTestData.Uniform(rng, slots.Length * shape.Heads, -3f, 1f),
            B = DecodeTestData.Uniform(rng, slots.Length * shape.GroupWidth),
            C = DecodeTestData.Uniform(rng, slots.Length * shape.GroupWidth),
            Z = DecodeTestData.Uniform(rng, slots.Length * shape.Channels, -3f, 3f),
        }).ToList();

        var y = new List<float[]>();
        foreach (var token in tokens)
        {
            var yStep = new float[slots.Length * shape.Channels];
            op.Run(shape, options, new StateUpdateArrays<float, float>
            {
                State = state, X = token.X, Dt = token.Dt, A = a, B = token.B, C = token.C, D = d, Z = token.Z, DtBias = bias, Y = yStep,
            }, slots);
            y.Add(yStep);
        }

        for (var row = 0; row < slots.Length; row++)
        {
            double[] Rows(Func<int, float[]> pick, int width) =>
                Enumerable.Range(0, steps).SelectMany(t => pick(t).Skip(row * width).Take(width)).Select(v => (double)v).ToArray();
            var inputs = new DecodeInputs
            {
                Rows = steps,
                X = Rows(t => tokens[t].X, shape.Channels),
                Dt = Rows(t => tokens[t].Dt, shape.Heads),
                A = a.Select(v => (double)v).ToArray(),
                B = Rows(t => tokens[t].B, shape.GroupWidth),
                C = Rows(t => tokens[t].C, shape.GroupWidth),
                D = d.Select(v => (double)v).ToArray(),
                Z = Rows(t => tokens[t].Z, shape.Channels),
                DtBias = bias.Select(v => (double)v).ToArray(),
            };
            var h0 = initial.Skip(slots[row] * shape.SlotSize).Take(shape.SlotSize).ToArray();
            var (refY, refFinal) = DecodeReference.Recurrence(shape, options, inputs, h0);
            DecodeTestData.ShouldMatch(Rows(t => y[t], shape.Channels), refY, 1e-4, $"y of sequence {row} over {steps} steps");
            DecodeTestData.ShouldMatch(
                state.Skip(slots[row] * shape.SlotSize).Take(shape.SlotSize).Select(v => (double)v).ToList(), refFinal, 1e-4,
                $"final state of sequence {row}");
        }
        state.Skip(0).Take(shape.SlotSize).Select(v => (double)v).Should().Equal(initial.Take(shape.SlotSize), "slot 0 is unused");
    }

    [Fact]
    public void Device_views_into_one_conv_output_serve_as_x_B_and_C()
    {
        // Mamba2's layout: x, B and C are column ranges of one xBC row of width H·P + 2·G·N.
        var shape = new StateUpdateShape(4, 4, 2, 8);
        var options = new StateUpdateOptions();
        int[] slotIndices = [1, -1, 0];
        int width = shape.Channels + 2 * shape.GroupWidth, batch = slotIndices.Length;
        var rng = new Random(21);
        var xbc = DecodeTestData.Uniform(rng, batch * width);
        var dt = DecodeTestData.Uniform(rng, batch * shape.Heads, -3, 1);
        var heads = DecodeTestData.Uniform(rng, shape.Heads, -2, -0.1f);
        var state = DecodeTestData.Uniform(rng, 2 * shape.SlotSize);
        var refState = state.Select(v => (double)v).ToArray();

        var accelerator = device.Device.Accelerator;
        using var xbcBuffer = accelerator.Allocate1D(xbc);
        using var dtBuffer = accelerator.Allocate1D(dt);
        using var headBuffer = accelerator.Allocate1D(heads);
        using var stateBuffer = accelerator.Allocate1D(state);
        using var yBuffer = accelerator.Allocate1D<float>(batch * shape.Channels);
        yBuffer.MemSetToZero();
        using var slots = new CacheSlots(accelerator, slotIndices, 2);
        op.Run(shape, options, new StateUpdateViews<float, float>
        {
            State = stateBuffer.View, X = xbcBuffer.View, XStride = width, Dt = dtBuffer.View, A = headBuffer.View,
            B = Columns(xbcBuffer.View, shape.Channels), BStride = width,
            C = Columns(xbcBuffer.View, shape.Channels + shape.GroupWidth), CStride = width,
            D = headBuffer.View, DtBias = headBuffer.View, Y = yBuffer.View,
        }, slots);
        accelerator.Synchronize();

        static ArrayView<float> Columns(ArrayView<float> rows, int from) => rows.SubView(from, rows.Length - from);
        double[] Dense(int from, int count) =>
            DecodeTestData.Dense(xbc.Select(v => (double)v).ToArray().AsSpan(from).ToArray(), batch, count, width);
        var refY = new double[batch * shape.Channels];
        var wide = heads.Select(v => (double)v).ToArray();
        DecodeReference.StateUpdate(shape, options, new DecodeInputs
        {
            Rows = batch, X = Dense(0, shape.Channels), Dt = dt.Select(v => (double)v).ToArray(), A = wide,
            B = Dense(shape.Channels, shape.GroupWidth), C = Dense(shape.Channels + shape.GroupWidth, shape.GroupWidth),
            D = wide, DtBias = wide,
        }, slotIndices, refState, refY);

        var y = yBuffer.GetAsArray1D().Select(v => (double)v).ToArray();
        DecodeTestData.ShouldMatch(y.Take(shape.Channels).Concat(y.Skip(2 * shape.Channels)).ToList(),
            refY.Take(shape.Channels).Concat(refY.Skip(2 * shape.Channels)).ToList(), 1e-4, "y");
        y.Skip(shape.Channels).Take(shape.Channels).Should().OnlyContain(v => v == 0, "row 1 is padding");
        DecodeTestData.ShouldMatch(stateBuffer.GetAsArray1D().Select(v => (double)v).ToList(), refState, 1e-4, "state");
    }
}
