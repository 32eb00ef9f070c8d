using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>The whole prefill on the CPU accelerator against the float64 recurrence.</summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdPrefillTests(SsdCpuFixture fixture)
{
    private static readonly SsdShape Shape = new(4, 8, 2, 8);

    private static readonly SsdOptions Mamba2 = new()
    {
        DtSoftplus = true,
        HasDtBias = true,
        DMode = SsdDMode.PerHead,
    };

    private static SsdPrefillConfig Config(int q) => SsdPrefillConfig.Default(cuda: false) with { ChunkSize = q };

    private SsdHostResult Check(SsdShape shape, SsdOptions options, SsdHostInputs inputs, SsdPrefillConfig config) =>
        SsdChecks.AgainstRecurrence(fixture.Prefill, shape, options, inputs, config);

    private SsdHostResult Check(SsdOptions options, int[] lengths, int q, int seed = 1, SsdShape? shape = null) =>
        Check(shape ?? Shape, options, SsdHostInputs.Random(shape ?? Shape, options, lengths, seed), Config(q));

    [Fact]
    public void Length_not_a_multiple_of_the_chunk_size() => Check(Mamba2, [37], q: 8);

    [Fact]
    public void Length_shorter_than_one_chunk() => Check(Mamba2, [5], q: 16);

    [Fact]
    public void Length_one() => Check(Mamba2 with { HasInitialStates = true }, [1], q: 8);

    [Fact]
    public void Varlen_with_sequences_of_length_one() =>
        Check(Mamba2 with { HasInitialStates = true }, [1, 9, 1, 1, 6], q: 4);

    [Fact]
    public void Varlen_with_sequences_crossing_chunk_boundaries() =>
        Check(Mamba2 with { HasInitialStates = true, HasZ = true }, [13, 20, 7], q: 8);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Groups_from_one_to_the_head_count(int groups) =>
        Check(Mamba2, [11, 6], q: 4, seed: groups, shape: new SsdShape(4, 4, groups, 4));

    [Theory]
    [InlineData(SsdDMode.None)]
    [InlineData(SsdDMode.PerHead)]
    [InlineData(SsdDMode.PerChannel)]
    public void D_modes(SsdDMode mode) => Check(Mamba2 with { DMode = mode }, [10, 3], q: 4);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gate_z_on_and_off(bool z) => Check(Mamba2 with { HasZ = z }, [9, 4], q: 4);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Initial_states_on_and_off(bool init)
    {
        var result = Check(Mamba2 with { HasInitialStates = init }, [7, 10], q: 4);
        result.Y.Should().NotContain(float.NaN);
    }

    [Fact]
    public void Dt_limits_with_both_bounds_active()
    {
        var options = Mamba2 with { DtMin = 0.3f, DtMax = 0.6f };
        var inputs = SsdHostInputs.Random(Shape, options, [12, 5], seed: 4);
        // Make sure both bounds bite: sp(-3 + bias) < 0.3 and sp(2 + bias) > 0.6 for every bias in [-1, 0.5).
        var dt = (float[])inputs.Dt.Clone();
        for (var i = 0; i < dt.Length; i += 2) dt[i] = -3f;
        for (var i = 1; i < dt.Length; i += 2) dt[i] = 2f;
        Check(Shape, options, inputs with { Dt = dt }, Config(4));
    }

    [Fact]
    public void Softplus_off_clamps_negative_dt_to_zero()
    {
        var options = new SsdOptions { DMode = SsdDMode.PerHead, HasInitialStates = true };
        var inputs = SsdHostInputs.Random(Shape, options, [9], seed: 6);
        var dt = inputs.Dt.Select((v, i) => i % 3 == 0 ? -0.7f : v).ToArray();
        var with = Check(Shape, options, inputs with { Dt = dt }, Config(4));

        // With dt clamped to 0 those tokens neither decay nor add to the state: the same run with
        // dt = 0 there gives the same result.
        var zeroed = fixture.Prefill.Run(inputs with { Dt = dt.Select(v => Math.Max(v, 0f)).ToArray() }, Shape, options, Config(4));
        zeroed.Y.Should().Equal(with.Y);
    }

    [Fact]
    public void Softplus_input_above_twenty_passes_through()
    {
        var options = Mamba2 with { HasInitialStates = true };
        var inputs = SsdHostInputs.Random(Shape, options, [10], seed: 8);
        var dt = (float[])inputs.Dt.Clone();
        dt[(3 * inputs.DtStride) + 1] = 25f;
        dt[(7 * inputs.DtStride) + 2] = 21f;
        var a = inputs.A.Select(v => v * 0.01f).ToArray(); // keep exp(25·A) away from 0
        Check(Shape, options, inputs with { Dt = dt, A = a }, Config(4));
    }

    [Fact]
    public void State_size_not_a_power_of_two_and_head_dim_not_a_multiple_of_the_tile() =>
        Check(Mamba2 with { HasZ = true, DMode = SsdDMode.PerChannel }, [14, 3], q: 8, shape: new SsdShape(3, 5, 1, 7));

    [Fact]
    public void State_size_above_128() =>
        Check(Mamba2 with { HasInitialStates = true }, [6, 5], q: 4, shape: new SsdShape(2, 2, 1, 130));

    [Fact]
    public void Strided_inputs_with_poisoned_padding()
    {
        var options = Mamba2 with { HasZ = true, HasInitialStates = true };
        var inputs = SsdHostInputs.Random(Shape, options, [11, 8], seed: 9, stridePadding: 3);
        inputs.X.Should().Contain(float.NaN, "the padding is poisoned so a stray read would show");
        Check(Shape, options, inputs, Config(8));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_config()
    {
        var options = Mamba2 with { HasZ = true, HasInitialStates = true };
        var inputs = SsdHostInputs.Random(Shape, options, [23, 2, 9], seed: 10);
        var small = Check(Shape, options, inputs, new SsdPrefillConfig(4, 2, 2, 4, 16, 4, 4, 2, 8));
        var large = Check(Shape, options, inputs, SsdPrefillConfig.Candidates(cuda: false)[1]);
        SsdAssert.Close(small.Y, SsdReference.ToDouble(large.Y), SsdAssert.F32, "y with Q=4 against Q=32");
    }

    [Fact]
    public void Fp16_states() =>
        Check(Mamba2 with { StateDtype = Dtype.F16, HasInitialStates = true }, [15, 6], q: 4);

    [Fact]
    public void Fp16_inputs() =>
        Check(Mamba2 with { InputDtype = Dtype.F16, HasZ = true, HasInitialStates = true }, [15, 6], q: 8);

    [Fact]
    public void Fp16_inputs_and_states_with_every_option() =>
        Check(
            Mamba2 with
            {
                InputDtype = Dtype.F16,
                StateDtype = Dtype.F16,
                HasZ = true,
                HasInitialStates = true,
                DMode = SsdDMode.PerChannel,
                DtMin = 0.05f,
                DtMax = 2f,
            },
            [6, 1, 12],
            q: 4);

    [Fact]
    public void A_sequence_split_in_two_calls_continues_from_its_final_state()
    {
        var options = Mamba2 with { HasInitialStates = true, HasZ = true };
        var inputs = SsdHostInputs.Random(Shape, options, [19], seed: 12);
        var whole = fixture.Prefill.Run(inputs, Shape, options, Config(8));
        var first = fixture.Prefill.Run(SsdReferenceTests.Slice(inputs, Shape, 0, 11, 0), Shape, options, Config(8));
        var rest = SsdReferenceTests.Slice(inputs, Shape, 11, 19, 0) with { InitialStates = first.FinalStates };
        var second = fixture.Prefill.Run(rest, Shape, options, Config(8));

        SsdAssert.Close(second.Y, SsdReference.ToDouble(whole.Y.Skip(11 * Shape.HeadWidth).ToArray()), SsdAssert.F32, "y of the second call");
        SsdAssert.Close(second.FinalStates, SsdReference.ToDouble(whole.FinalStates), SsdAssert.F32, "final state of the second call");
    }

    [Fact]
    public void New_lengths_and_sequence_counts_compile_nothing_new()
    {
        var options = Mamba2 with { HasZ = true };
        fixture.Prefill.Run(SsdHostInputs.Random(Shape, options, [8], seed: 1), Shape, options, Config(8));
        var compiled = fixture.Registry.Compilations;

        Check(options, [3, 30, 1], q: 8, seed: 2);
        Check(options, [40], q: 8, seed: 3);
        fixture.Registry.Compilations.Should().Be(compiled, "the key holds no token count, length or sequence count");
    }

    [Fact]
    public void Growing_and_shrinking_batches_reuse_the_workspace_correctly()
    {
        var options = Mamba2 with { HasInitialStates = true };
        Check(options, [2], q: 4, seed: 1);
        Check(options, [17, 18, 5], q: 4, seed: 2);
        Check(options, [3, 1], q: 4, seed: 3);
    }

    [Fact]
    public void Load_compiles_the_five_stages_once()
    {
        using var registry = new KernelRegistry(fixture.Device.Accelerator, "ssd-load-test");
        using var prefill = new SsdPrefill(registry);
        var options = new SsdOptions { HasDtBias = true, DtMin = 0.125f };
        var config = new SsdPrefillConfig(8, 8, 8, 8, 32, 8, 8, 8, 8);
        prefill.Load(Shape, options, config).Should().Be(5);
        prefill.Load(Shape, options, config).Should().Be(0);
        var inputs = SsdHostInputs.Random(Shape, options, [9], seed: 2);
        var result = prefill.Run(inputs, Shape, options, config);
        registry.Compilations.Should().Be(5);
        SsdAssert.Close(result.Y, SsdReference.Recurrence(inputs, Shape, options).Y, SsdAssert.F32, "y");
    }
}
