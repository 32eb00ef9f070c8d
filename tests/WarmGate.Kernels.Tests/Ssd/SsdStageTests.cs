using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// Each kernel against its float64 stage reference, fed the device's own previous-stage outputs,
/// so a failure names the one kernel that is wrong.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdStageTests(SsdCpuFixture fixture)
{
    private static readonly SsdShape Shape = new(4, 6, 2, 5);

    private static readonly SsdPrefillConfig Config = new(8, 2, 4, 4, 16, 4, 8, 4, 8);

    private static SsdOptions Options(string variant) => variant switch
    {
        "f32" => new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
            DtMin = 0.01f, DtMax = 1.5f,
        },
        "f32-plain" => new SsdOptions(),
        "f16" => new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = true,
            InputDtype = Dtype.F16, StateDtype = Dtype.F16,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static double Tolerance(SsdOptions options) =>
        options.InputDtype == Dtype.F16 || options.StateDtype == Dtype.F16 ? SsdAssert.F16 : 1e-5;

    private (SsdHostInputs Inputs, SsdOptions Options, SsdHostResult Result, SsdStageOutputs Stages) Run(string variant)
    {
        var options = Options(variant);
        var inputs = SsdHostInputs.Random(Shape, options, [13, 1, 8, 10], seed: variant.Length, stridePadding: 1);
        var result = fixture.Prefill.Run(inputs, Shape, options, Config, captureStages: true);
        result.Stages.Should().NotBeNull();
        return (inputs, options, result, result.Stages!);
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f32-plain")]
    [InlineData("f16")]
    public void Cumsum_processes_dt_and_sums_dt_times_A_inside_each_chunk(string variant)
    {
        var (inputs, options, _, stages) = Run(variant);
        var expected = SsdReference.Cumsum(inputs, Shape, options, stages.Table);
        SsdAssert.Close(stages.Dt, expected.Dt, 1e-6, "processed dt");
        SsdAssert.Close(stages.DACumsum, expected.DACumsum, 1e-6, "dA cumsum");
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f16")]
    public void Chunk_state_sums_each_chunks_contribution(string variant)
    {
        var (inputs, _, _, stages) = Run(variant);
        var expected = SsdReference.ChunkState(
            inputs, Shape, stages.Table, SsdReference.ToDouble(stages.Dt), SsdReference.ToDouble(stages.DACumsum));
        SsdAssert.Close(stages.ChunkStates, expected, 1e-5, "chunk states");
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f32-plain")]
    [InlineData("f16")]
    public void State_passing_carries_the_state_across_chunks_and_writes_final_states(string variant)
    {
        var (inputs, options, result, stages) = Run(variant);
        var expected = SsdReference.StatePassing(
            inputs, Shape, options, stages.Table, SsdReference.ToDouble(stages.ChunkStates), SsdReference.ToDouble(stages.DACumsum));
        var tolerance = options.StateDtype == Dtype.F16 ? 1e-3 : 1e-6;
        SsdAssert.Close(stages.PassedStates, expected, tolerance, "passed states");
        SsdAssert.Close(result.FinalStates, SsdReference.FinalStates(Shape, stages.Table, expected), tolerance, "final states");
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f16")]
    public void Bmm_computes_C_times_B_transposed_per_chunk_and_group(string variant)
    {
        var (inputs, _, _, stages) = Run(variant);
        var expected = SsdReference.Bmm(inputs, Shape, stages.Table);
        SsdAssert.Close(stages.CB, expected, 1e-6, "CB");
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == 0) stages.CB[i].Should().Be(0, "entries past a chunk's end are exactly zero");
        }
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f32-plain")]
    [InlineData("f16")]
    public void Chunk_scan_assembles_y_from_the_previous_stages(string variant)
    {
        var (inputs, options, result, stages) = Run(variant);
        var expected = SsdReference.ChunkScan(
            inputs,
            Shape,
            options,
            stages.Table,
            SsdReference.ToDouble(stages.Dt),
            SsdReference.ToDouble(stages.DACumsum),
            SsdReference.ToDouble(stages.CB),
            SsdReference.ToDouble(stages.PassedStates));
        SsdAssert.Close(result.Y, expected, Tolerance(options) / 10, "y");
    }
}
