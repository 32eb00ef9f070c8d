using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The 16-byte staging path of the tensor-core kernels (<see cref="SsdTcVectorStager"/>) on the CPU
/// accelerator: the gate that keeps misaligned views on the scalar path, and whole prefills whose
/// x, B, C and state views take the vector path (P and N multiples of 8, strides padded by 8) or the
/// scalar path (an odd stride), both against the float64 recurrence. A misaligned vector load would
/// not fault on the CPU, so the gate itself is tested directly.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdTcVectorStagingTests(SsdCpuFixture fixture)
{
    /// <summary>P=48, N=40: every unit is whole (multiples of 8), N a partial second step of 32.</summary>
    private static readonly SsdShape VectorShape = new(3, 48, 1, 40);

    private static readonly int[] Lengths = [45, 3, 70];

    private static readonly SsdOptions Options = new()
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
        InputDtype = Dtype.F16,
    };

    [Fact]
    public void The_gate_needs_an_aligned_base_and_multiples_of_8()
    {
        using var buffer = fixture.Device.Accelerator.Allocate1D<Half>(64);
        ArrayView<Half> view = buffer.View;
        ViewAlignment.IsAligned(view, 16).Should().BeTrue("an accelerator buffer starts on a 16-byte boundary");
        ViewAlignment.IsAligned(view.SubView(8, 8), 16).Should().BeTrue("8 fp16 values are 16 bytes");
        ViewAlignment.IsAligned(view.SubView(1, 8), 16).Should().BeFalse("a view one fp16 in is 2 bytes off");
        ViewAlignment.IsAligned(view.SubView(4, 8), 16).Should().BeFalse("a view four fp16 in is 8 bytes off");
        SsdTcVectorStager.Usable(true, 64, 16, 48).Should().BeTrue();
        SsdTcVectorStager.Usable(false, 64, 16, 48).Should().BeFalse("a misaligned base");
        SsdTcVectorStager.Usable(true, 67, 16, 48).Should().BeFalse("an odd stride");
        SsdTcVectorStager.Usable(true, 64, 12, 48).Should().BeFalse("a first column off the 8-grid");
        SsdTcVectorStager.Usable(true, 64, 16, 36).Should().BeFalse("a column limit that cuts a unit");
        using var states = fixture.Device.Accelerator.Allocate1D<float>(64);
        ArrayView<float> floats = states.View;
        ViewAlignment.IsAligned(floats.SubView(4, 8), 16).Should().BeTrue("4 fp32 values are 16 bytes");
        ViewAlignment.IsAligned(floats.SubView(2, 8), 16).Should().BeFalse();
        ViewAlignment.IsAligned(floats.SubView(2, 0), 16).Should().BeTrue("an empty view is never read");

        var mask = SsdAlignedViews.Of(
            view, view.SubView(1, 8), view.SubView(8, 8), floats.SubView(2, 8), 64, floats, ArrayView<float>.Empty,
            view.SubView(3, 8), ArrayView<Half>.Empty, floats.SubView(4, 8));
        mask.Should().Be(
            SsdAlignedViews.X | SsdAlignedViews.C | SsdAlignedViews.PassedStates | SsdAlignedViews.InitialStates
            | SsdAlignedViews.Z | SsdAlignedViews.ChunkStates,
            "B is one fp16 off, CB two fp32 off and y three fp16 off; the others are aligned or empty");
        SsdAlignedViews.Has(mask, SsdAlignedViews.X | SsdAlignedViews.Z).Should().BeTrue();
        SsdAlignedViews.Has(mask, SsdAlignedViews.X | SsdAlignedViews.Y).Should().BeFalse("Has needs every bit");
        SsdAlignedViews.Has(SsdAlignedViews.Of(view, view, view, floats, 64, floats, floats, view, view, floats), SsdAlignedViews.CB)
            .Should().BeTrue("an aligned CB with rows of 64 values");
        SsdAlignedViews.Has(SsdAlignedViews.Of(view, view, view, floats, 4, floats, floats, view, view, floats), SsdAlignedViews.CB)
            .Should().BeFalse("rows of 4 values do not hold whole 8-value vectors");
    }

    [Fact]
    public void Checking_alignment_allocates_nothing()
    {
        // Every prefill launch checks nine views; a boxed view per check would be garbage on the serving path.
        using var buffer = fixture.Device.Accelerator.Allocate1D<float>(64);
        ArrayView<float> view = buffer.View;
        ViewAlignment.IsAligned(view.SubView(4, 8), 16).Should().BeTrue();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var aligned = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (ViewAlignment.IsAligned(view.SubView(i % 8, 8), 16)) aligned++;
        }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        aligned.Should().Be(250, "of the offsets 0..7 floats, 0 and 4 are on a 16-byte boundary");
    }

    public static TheoryData<string, int> Paths => new()
    {
        { "Q=32,CH=4,SP=32,SN=64,PB=64,BI=32,BJ=32,YT=32,YP=64,TC=1", 8 },
        { "Q=32,CH=4,SP=32,SN=64,PB=64,BI=32,BJ=32,YT=32,YP=64,TC=1", 3 },
        { "Q=64,CH=8,SP=64,SN=32,PB=64,BI=64,BJ=32,YT=64,YP=32,TC=1", 0 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Vector_and_scalar_staging_match_the_recurrence(string config, int stridePadding)
    {
        var inputs = SsdHostInputs.Random(VectorShape, Options, Lengths, seed: stridePadding + config.Length, stridePadding: stridePadding);
        SsdChecks.AgainstRecurrence(fixture.Prefill, VectorShape, Options, inputs, SsdPrefillConfig.Parse(config));
    }

    [Fact]
    public void Fp16_states_take_the_vector_path_too()
    {
        var options = Options with { StateDtype = Dtype.F16 };
        var inputs = SsdHostInputs.Random(VectorShape, options, Lengths, seed: 21, stridePadding: 16);
        SsdChecks.AgainstRecurrence(fixture.Prefill, VectorShape, options, inputs, SsdPrefillConfig.Parse("Q=32,CH=4,SP=32,SN=32,PB=64,BI=32,BJ=32,YT=32,YP=32,TC=1"));
    }

    /// <summary>Tensor-core configs with a chunk shorter than one 8-value CB vector: chunk_scan must read CB word by word.</summary>
    public static TheoryData<int, Dtype> ShortChunks => new()
    {
        { 2, Dtype.F16 },
        { 4, Dtype.F32 },
        { 8, Dtype.F16 },
    };

    [Theory]
    [MemberData(nameof(ShortChunks))]
    public void Chunks_shorter_than_a_vector_stage_cb_word_by_word(int q, Dtype input)
    {
        var shape = new SsdShape(2, 32, 1, 32);
        var options = new SsdOptions { DtSoftplus = true, DMode = SsdDMode.PerChannel, HasZ = true, InputDtype = input };
        var config = new SsdPrefillConfig(q, 2, 32, 32, 64, 32, 32, 32, 32) { TensorCores = true };
        // Q=4 with a full last chunk: an 8-value CB read there would run past the workspace.
        var inputs = SsdHostInputs.Random(shape, options, q == 4 ? [12, 8] : [13, 6], seed: q);
        SsdChecks.AgainstRecurrence(fixture.Prefill, shape, options, inputs, config);
        var stages = fixture.Prefill.Run(inputs, shape, options, config, captureStages: true).Stages!;
        SsdAlignedViews.Has(stages.AlignedViews, SsdAlignedViews.CB).Should().Be(q % 8 == 0, "CB vectors need rows of a multiple of 8 values");
        SsdAlignedViews.Has(stages.AlignedViews, SsdAlignedViews.X | SsdAlignedViews.B | SsdAlignedViews.C | SsdAlignedViews.Y).Should().BeTrue(
            "fresh device buffers start on 16-byte boundaries");
    }

    [Fact]
    public void Fp32_inputs_stage_tf32_rows_and_columns_in_vectors()
    {
        // N=40 and P=48 (multiples of 8, unpadded strides): C, B, x and the states all take the TF32 vector path.
        var options = Options with { InputDtype = Dtype.F32 };
        var inputs = SsdHostInputs.Random(VectorShape, options, Lengths, seed: 4);
        var config = SsdPrefillConfig.Parse("Q=32,CH=4,SP=32,SN=64,PB=64,BI=32,BJ=32,YT=32,YP=64,TC=1");
        SsdChecks.AgainstRecurrence(fixture.Prefill, VectorShape, options, inputs, config);
        var stages = fixture.Prefill.Run(inputs, VectorShape, options, config, captureStages: true).Stages!;
        SsdAlignedViews.Has(
            stages.AlignedViews,
            SsdAlignedViews.X | SsdAlignedViews.B | SsdAlignedViews.C | SsdAlignedViews.CB | SsdAlignedViews.PassedStates
            | SsdAlignedViews.InitialStates | SsdAlignedViews.Y | SsdAlignedViews.Z | SsdAlignedViews.ChunkStates)
            .Should().BeTrue("every view of this run is a fresh buffer");
    }
}
