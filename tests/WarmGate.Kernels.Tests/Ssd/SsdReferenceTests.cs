using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

public sealed class SsdReferenceTests
{
    private static readonly SsdShape Shape = new(4, 3, 2, 5);

    private static SsdOptions AllOn => new()
    {
        DtSoftplus = true,
        HasDtBias = true,
        DMode = SsdDMode.PerChannel,
        HasZ = true,
        HasInitialStates = true,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    public void Chunked_stages_equal_the_recurrence_for_any_chunk_size(int chunkSize)
    {
        var inputs = SsdHostInputs.Random(Shape, AllOn, [9, 1, 17, 4], seed: chunkSize, stridePadding: 2);
        var recurrence = SsdReference.Recurrence(inputs, Shape, AllOn);
        var chunked = SsdReference.Chunked(inputs, Shape, AllOn, chunkSize);
        SsdAssert.Close(chunked.Y, recurrence.Y, 1e-10, "y");
        SsdAssert.Close(chunked.FinalStates, recurrence.FinalStates, 1e-10, "final states");
    }

    [Fact]
    public void Chunked_stages_equal_the_recurrence_without_optional_inputs()
    {
        var options = new SsdOptions { DtMin = 0.01f, DtMax = 0.4f };
        var shape = new SsdShape(2, 2, 1, 3);
        var inputs = SsdHostInputs.Random(shape, options, [5, 12], seed: 3);
        var recurrence = SsdReference.Recurrence(inputs, shape, options);
        var chunked = SsdReference.Chunked(inputs, shape, options, 4);
        SsdAssert.Close(chunked.Y, recurrence.Y, 1e-10, "y");
        SsdAssert.Close(chunked.FinalStates, recurrence.FinalStates, 1e-10, "final states");
    }

    [Fact]
    public void Recurrence_matches_a_hand_computed_scalar_case()
    {
        // H=P=G=N=1, two tokens, no softplus: dt' = dt, decay = exp(dt·A).
        var shape = new SsdShape(1, 1, 1, 1);
        var options = new SsdOptions { DMode = SsdDMode.PerHead, HasInitialStates = true };
        var inputs = new SsdHostInputs
        {
            Tokens = 2,
            CuSeqlens = [0, 2],
            X = [2f, -1f],
            XStride = 1,
            Dt = [0.5f, 0.25f],
            DtStride = 1,
            A = [-2f],
            B = [3f, 4f],
            BStride = 1,
            C = [0.5f, 2f],
            CStride = 1,
            D = [10f],
            InitialStates = [1f],
        };
        var result = SsdReference.Recurrence(inputs, shape, options);

        var h1 = (Math.Exp(-1.0) * 1.0) + (0.5 * 2 * 3);
        var h2 = (Math.Exp(-0.5) * h1) + (0.25 * -1 * 4);
        result.Y.Should().Equal([(h1 * 0.5) + 20, (h2 * 2) - 10], (a, b) => Math.Abs(a - b) < 1e-12);
        result.FinalStates.Should().Equal([h2], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Packed_sequences_are_independent()
    {
        var options = AllOn;
        var packed = SsdHostInputs.Random(Shape, options, [6, 3], seed: 11);
        var whole = SsdReference.Recurrence(packed, Shape, options);
        var second = Slice(packed, Shape, 6, 9, 1);
        var alone = SsdReference.Recurrence(second, Shape, options);

        var row = Shape.HeadWidth;
        whole.Y.Skip(6 * row).Should().Equal(alone.Y);
        whole.FinalStates.Skip(Shape.StatePerSequence).Should().Equal(alone.FinalStates);
    }

    [Fact]
    public void A_sequence_split_in_two_continues_from_its_final_state()
    {
        var options = AllOn;
        var inputs = SsdHostInputs.Random(Shape, options, [10], seed: 5);
        var whole = SsdReference.Recurrence(inputs, Shape, options);
        var first = SsdReference.Recurrence(Slice(inputs, Shape, 0, 4, 0), Shape, options);
        var rest = Slice(inputs, Shape, 4, 10, 0) with
        {
            InitialStates = first.FinalStates.Select(v => (float)v).ToArray(),
        };
        var second = SsdReference.Recurrence(rest, Shape, options);

        // The hand-off rounds the state to fp32 once: agreement to ~1e-7.
        SsdAssert.Close(second.Y, whole.Y.Skip(4 * Shape.HeadWidth).ToArray(), 1e-6, "y after the split");
        SsdAssert.Close(second.FinalStates, whole.FinalStates, 1e-6, "final state after the split");
    }

    [Fact]
    public void Softplus_uses_the_threshold_20()
    {
        SsdReference.Softplus(25).Should().Be(25);
        SsdReference.Softplus(20).Should().BeApproximately(Math.Log(1 + Math.Exp(20)), 1e-12);
        SsdReference.Softplus(0).Should().BeApproximately(Math.Log(2), 1e-15);
    }

    [Fact]
    public void Dt_is_clamped_after_softplus_and_without_softplus_negative_dt_becomes_zero()
    {
        var inputs = SsdHostInputs.Random(Shape, new SsdOptions { HasDtBias = true }, [1], seed: 1) with
        {
            DtBias = [0.5f, 0f, 0f, 0f],
        };
        var plain = new SsdOptions { HasDtBias = true };
        SsdReference.ProcessDt(-1.0, 0, inputs, plain).Should().Be(0);
        SsdReference.ProcessDt(1.0, 0, inputs, plain).Should().Be(1.5);
        var limited = plain with { DtSoftplus = true, DtMin = 0.2f, DtMax = 0.9f };
        SsdReference.ProcessDt(-10.0, 0, inputs, limited).Should().BeApproximately(0.2, 1e-7);
        SsdReference.ProcessDt(3.0, 0, inputs, limited).Should().BeApproximately(0.9, 1e-7);
        SsdReference.ProcessDt(-0.5, 0, inputs, limited).Should().BeApproximately(Math.Log(2), 1e-12);
    }

    /// <summary>Tokens [from, to) of one sequence (index <paramref name="sequence"/>) as a one-sequence input.</summary>
    internal static SsdHostInputs Slice(SsdHostInputs inputs, SsdShape shape, int from, int to, int sequence)
    {
        float[] Rows(float[] values, int stride) => values.Skip(from * stride).Take((to - from) * stride).ToArray();
        return inputs with
        {
            Tokens = to - from,
            CuSeqlens = [0, to - from],
            X = Rows(inputs.X, inputs.XStride),
            Dt = Rows(inputs.Dt, inputs.DtStride),
            B = Rows(inputs.B, inputs.BStride),
            C = Rows(inputs.C, inputs.CStride),
            Z = inputs.Z is null ? null : Rows(inputs.Z, inputs.ZStride),
            InitialStates = inputs.InitialStates?
                .Skip(sequence * shape.StatePerSequence).Take(shape.StatePerSequence).ToArray(),
        };
    }
}
