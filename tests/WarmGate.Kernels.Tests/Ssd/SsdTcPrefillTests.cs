using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The tensor-core kernels (TC=1; fp16 inputs, and fp32 inputs on TF32 products) on the CPU
/// accelerator, where the MMA block computes each lane's accumulators by scalar dots: tiling,
/// indexing, masking and epilogues against the float64 references. Groups of 32 and 64 threads (one warp, or two warps along rows
/// or along columns), tiles larger than P, N or Q, ragged varlen chunks.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdTcPrefillTests(SsdCpuFixture fixture)
{
    /// <summary>H=4, P=40 (a partial second 32-wide tile), G=2, N=36 (a partial second step of 32).</summary>
    private static readonly SsdShape Shape = new(4, 40, 2, 36);

    private static readonly int[] Lengths = [37, 1, 70, 5, 16];

    internal static SsdPrefillConfig Config(string name) => name switch
    {
        // Q=16 below every 32-wide tile: rows past the chunk are masked everywhere.
        "one-warp-q16" => new SsdPrefillConfig(16, 4, 32, 32, 64, 32, 32, 32, 32) { TensorCores = true },
        // Two warps along the columns (n, j, p) of each product.
        "warps-along-columns-q32" => new SsdPrefillConfig(32, 4, 32, 64, 64, 32, 64, 32, 64) { TensorCores = true },
        // Two warps along the rows (p, i) of each product; Q=64 spans two diagonal steps.
        "warps-along-rows-q64" => new SsdPrefillConfig(64, 8, 64, 32, 32, 64, 32, 64, 32) { TensorCores = true },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string> Configs => ["one-warp-q16", "warps-along-columns-q32", "warps-along-rows-q64"];

    private static SsdOptions Options(string variant) => variant switch
    {
        "all-on" => new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
            DtMin = 0.01f, DtMax = 1.5f, InputDtype = Dtype.F16,
        },
        "head-d-f16-states" => new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, InputDtype = Dtype.F16, StateDtype = Dtype.F16,
        },
        "init-no-d" => new SsdOptions { DtSoftplus = true, HasInitialStates = true, InputDtype = Dtype.F16 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>Each config with one option set (each pair compiles its own five kernels).</summary>
    public static TheoryData<string, string> ConfigsAndOptions => new()
    {
        { "one-warp-q16", "all-on" },
        { "warps-along-columns-q32", "head-d-f16-states" },
        { "warps-along-rows-q64", "init-no-d" },
        { "warps-along-rows-q64", "all-on" },
    };

    [Theory]
    [MemberData(nameof(ConfigsAndOptions))]
    public void Each_config_matches_the_recurrence(string config, string variant)
    {
        var options = Options(variant);
        var inputs = SsdHostInputs.Random(Shape, options, Lengths, seed: variant.Length + config.Length, stridePadding: 3);
        SsdChecks.AgainstRecurrence(fixture.Prefill, Shape, options, inputs, Config(config));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Each_tensor_core_stage_matches_its_reference(string config)
    {
        var options = Options("all-on");
        var inputs = SsdHostInputs.Random(Shape, options, Lengths, seed: 11, stridePadding: 2);
        var result = fixture.Prefill.Run(inputs, Shape, options, Config(config), captureStages: true);
        var s = result.Stages!;
        var dt = SsdReference.ToDouble(s.Dt);
        var dA = SsdReference.ToDouble(s.DACumsum);

        // fp16 × fp16 products are exact in fp32: only the fp32 sum order differs.
        SsdAssert.Close(s.CB, SsdReference.Bmm(inputs, Shape, s.Table), 1e-5, "CB (bmm)");
        // B·w is rounded to fp16 before the product (as upstream casts it to x's dtype).
        SsdAssert.Close(s.ChunkStates, SsdReference.ChunkState(inputs, Shape, s.Table, dt, dA), StageTolerance, "chunk states");
        // W and the state entering the chunk are rounded to fp16; y itself is stored as fp16.
        var y = SsdReference.ChunkScan(
            inputs, Shape, options, s.Table, dt, dA, SsdReference.ToDouble(s.CB), SsdReference.ToDouble(s.PassedStates));
        SsdAssert.Close(result.Y, y, StageTolerance, "y (chunk_scan)");
    }

    /// <summary>fp16 rounding of one operand of each product: about 2⁻¹¹ relative per term.</summary>
    private const double StageTolerance = 3e-3;

    [Fact]
    public void Tensor_cores_and_simt_agree_on_the_same_fp16_inputs()
    {
        var options = Options("all-on");
        var inputs = SsdHostInputs.Random(Shape, options, Lengths, seed: 5);
        var tc = Config("warps-along-columns-q32");
        var simt = tc with { TensorCores = false, BmmTileI = 8, BmmTileJ = 8 };
        var a = fixture.Prefill.Run(inputs, Shape, options, tc);
        var b = fixture.Prefill.Run(inputs, Shape, options, simt);
        SsdAssert.Close(a.Y, SsdReference.ToDouble(b.Y), StageTolerance, "y, tensor cores against SIMT");
        SsdAssert.Close(a.FinalStates, SsdReference.ToDouble(b.FinalStates), StageTolerance, "final states, tensor cores against SIMT");
    }

    [Fact]
    public void Sequences_shorter_than_a_chunk_and_length_one_batches_work()
    {
        var options = Options("all-on");
        foreach (var lengths in new[] { new[] { 1 }, [3, 1, 2], [64] })
        {
            var inputs = SsdHostInputs.Random(Shape, options, lengths, seed: lengths.Length);
            SsdChecks.AgainstRecurrence(fixture.Prefill, Shape, options, inputs, Config("warps-along-rows-q64"));
        }
    }

    /// <summary>Each config with fp32 inputs: TF32 products (10-bit mantissa) against the float64 recurrence.</summary>
    public static TheoryData<string, Dtype> Tf32Cases => new()
    {
        { "one-warp-q16", Dtype.F32 },
        { "warps-along-columns-q32", Dtype.F32 },
        { "warps-along-rows-q64", Dtype.F32 },
        { "warps-along-rows-q64", Dtype.F16 },
    };

    [Theory]
    [MemberData(nameof(Tf32Cases))]
    public void Fp32_inputs_run_tf32_products_within_the_bench_tolerance(string config, Dtype stateDtype)
    {
        var options = Options("all-on") with { InputDtype = Dtype.F32, StateDtype = stateDtype };
        var inputs = SsdHostInputs.Random(Shape, options, Lengths, seed: 9 + config.Length);
        var expected = SsdReference.Recurrence(inputs, Shape, options);
        var actual = fixture.Prefill.Run(inputs, Shape, options, Config(config));
        var tolerance = stateDtype == Dtype.F16 ? SsdAssert.F16 : SsdAssert.Tf32;
        SsdAssert.Close(actual.Y, expected.Y, tolerance, $"y, {config}, fp32 inputs on TF32 products");
        SsdAssert.Close(actual.FinalStates, expected.FinalStates, tolerance, $"final states, {config}, fp32 inputs on TF32 products");
        SsdAssert.RelativeError(actual.Y, expected.Y, out _).Should().BeGreaterThan(SsdAssert.F32 / 100,
            "TF32 rounds the operands, so the result is not the exact-fp32 one (else the products were not TF32)");
    }
}
