using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Tests.Decode;

public sealed class Conv1dTests(DecodeDevice device) : IClassFixture<DecodeDevice>
{
    private readonly CausalConv1d op = new(device.Registry);

    // Lengths 5, 1 (shorter than K−1 = 3), 7 and 2 (shorter too).
    private static readonly int[] Varlen = [0, 5, 6, 13, 15];

    private static ConvCase Prefill(Conv1dOptions options, bool init, int[]? slots = null, int cache = 5, int channels = 10, int width = 4) =>
        new(new Conv1dShape(channels, width), options, slots ?? [2, 0, 4, 1], cache) { CuSeqlens = Varlen, InitialStates = init };

    [Fact]
    public void Prefill_from_zero_states_matches_the_reference() =>
        Prefill(new Conv1dOptions(), init: false).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_from_initial_states_matches_the_reference() =>
        Prefill(new Conv1dOptions(), init: true).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_without_bias_or_silu_matches_the_reference() =>
        Prefill(new Conv1dOptions(Bias: false, Silu: false), init: true).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_in_fp16_matches_the_reference() =>
        Prefill(new Conv1dOptions(Input: Dtype.F16), init: true).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_reads_and_writes_strided_rows_and_skips_padding_sequences() =>
        (Prefill(new Conv1dOptions(), init: true, slots: [3, -1, 0, -1]) with { Pad = 3 }).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_with_width_two_matches_the_reference() =>
        Prefill(new Conv1dOptions(Silu: false), init: true, width: 2).Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_leaves_the_last_K_minus_1_inputs_zero_padded_in_each_slot()
    {
        var outcome = Prefill(new Conv1dOptions(), init: false).Run(op);
        const int c = 10, k1 = 3;
        int[] slots = [2, 0, 4, 1];
        for (var s = 0; s < slots.Length; s++)
        {
            var end = Varlen[s + 1];
            var length = end - Varlen[s];
            var slot = outcome.Slot(outcome.State, slots[s]);
            for (var ch = 0; ch < c; ch++)
            for (var j = 0; j < k1; j++)
            {
                var position = length - k1 + j;
                var expected = position < 0 ? 0.0 : outcome.Row(outcome.Input, Varlen[s] + position)[ch];
                slot[ch * k1 + j].Should().Be(expected, $"sequence {s}, channel {ch}, state column {j}");
            }
        }
    }

    public static TheoryData<string> CpuPrefillConfigs() => [.. ConvPrefillConfig.Candidates(cuda: false).Select(c => c.ToString())];

    [Theory]
    [MemberData(nameof(CpuPrefillConfigs))]
    public void Every_cpu_prefill_candidate_matches_the_reference(string config) =>
        (Prefill(new Conv1dOptions(), init: true) with { PrefillConfig = ConvPrefillConfig.Parse(config) }).Run(op).ShouldMatchReference();

    [Fact]
    public void Update_with_slot_indirection_and_padding_matches_the_reference() =>
        new ConvCase(new Conv1dShape(10, 4), new Conv1dOptions(), [3, -1, 0, 4], 5) { Pad = 2 }.Run(op).ShouldMatchReference();

    [Fact]
    public void Update_in_fp16_without_bias_matches_the_reference() =>
        new ConvCase(new Conv1dShape(12, 4), new Conv1dOptions(Input: Dtype.F16, Bias: false), [1, 0], 2)
        {
            UpdateConfig = new ConvUpdateConfig(32),
        }.Run(op).ShouldMatchReference();

    [Fact]
    public void Prefill_of_L_tokens_then_k_updates_equals_prefill_of_L_plus_k_tokens()
    {
        var shape = new Conv1dShape(6, 4);
        var options = new Conv1dOptions();
        const int k = 4;
        int[] lengths = [5, 2];        // the second sequence is shorter than K−1 before its updates
        int[] slots = [1, 0];
        var rng = new Random(3);
        var tokens = lengths.Select(l => DecodeTestData.Uniform(rng, (l + k) * shape.Channels, -2, 2)).ToArray();
        var weight = DecodeTestData.Uniform(rng, shape.Channels * shape.Width);
        var bias = DecodeTestData.Uniform(rng, shape.Channels);
        float[] Tokens(int s, int from, int count) => tokens[s].Skip(from * shape.Channels).Take(count * shape.Channels).ToArray();

        // Long: both sequences with all L + k tokens in one prefill.
        var longState = new float[2 * shape.SlotSize];
        var longOutput = new float[(lengths.Sum() + 2 * k) * shape.Channels];
        op.Prefill(shape, options, false, new Conv1dArrays<float>
        {
            Input = [.. Tokens(0, 0, lengths[0] + k), .. Tokens(1, 0, lengths[1] + k)],
            Output = longOutput, Weight = weight, Bias = bias, State = longState,
        }, [0, lengths[0] + k, lengths.Sum() + 2 * k], slots);

        // Short: L tokens by prefill, then k update steps.
        var state = new float[2 * shape.SlotSize];
        op.Prefill(shape, options, false, new Conv1dArrays<float>
        {
            Input = [.. Tokens(0, 0, lengths[0]), .. Tokens(1, 0, lengths[1])],
            Output = new float[lengths.Sum() * shape.Channels], Weight = weight, Bias = bias, State = state,
        }, [0, lengths[0], lengths.Sum()], slots);
        for (var step = 0; step < k; step++)
        {
            var output = new float[2 * shape.Channels];
            op.Update(shape, options, new Conv1dArrays<float>
            {
                Input = [.. Tokens(0, lengths[0] + step, 1), .. Tokens(1, lengths[1] + step, 1)],
                Output = output, Weight = weight, Bias = bias, State = state,
            }, slots);
            for (var s = 0; s < 2; s++)
            {
                var longRow = (s == 0 ? 0 : lengths[0] + k) + lengths[s] + step;
                DecodeTestData.ShouldMatch(
                    output.Skip(s * shape.Channels).Take(shape.Channels).Select(v => (double)v).ToList(),
                    longOutput.Skip(longRow * shape.Channels).Take(shape.Channels).Select(v => (double)v).ToList(),
                    1e-5, $"update step {step} of sequence {s}");
            }
        }
        state.Should().Equal(longState, "both paths end with the same last K−1 inputs");
    }

    [Fact]
    public void Width_one_keeps_no_state_and_is_a_pointwise_scale()
    {
        var shape = new Conv1dShape(3, 1);
        var output = new float[6];
        op.Prefill(shape, new Conv1dOptions(Bias: false, Silu: false), false, new Conv1dArrays<float>
        {
            Input = [1, 2, 3, 4, 5, 6], Output = output, Weight = [2, -1, 0.5f], State = [],
        }, [0, 1, 2], [0, 1]);
        output.Should().Equal(2, -2, 1.5f, 8, -5, 3);
    }
}
