using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The parallel <c>ssd.cumsum</c> scan and the 4-elements-per-thread <c>ssd.state_passing</c> on
/// the CPU accelerator (4-lane warps), each against its float64 stage reference fed the device's
/// own previous stages: every way CH and Q split a group into heads and lanes (warp-shuffle and
/// shared-memory scans, several heads per group, heads past H), ragged chunks, Q up to 256, and
/// state-passing vectors, element tails and partial groups.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdScanAndPassingTests(SsdCpuFixture fixture)
{
    private static SsdOptions Options(bool f16) => f16
        ? new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = true,
            InputDtype = Dtype.F16, StateDtype = Dtype.F16,
        }
        : new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
            DtMin = 0.01f, DtMax = 1.5f,
        };

    private (SsdHostInputs Inputs, SsdHostResult Result, SsdStageOutputs Stages) Run(
        SsdShape shape, SsdOptions options, SsdPrefillConfig config, int[] lengths)
    {
        var inputs = SsdHostInputs.Random(shape, options, lengths, seed: config.ChunkSize + config.CumsumHeads, stridePadding: 1);
        var result = fixture.Prefill.Run(inputs, shape, options, config, captureStages: true);
        result.Stages.Should().NotBeNull();
        return (inputs, result, result.Stages!);
    }

    // (Q, CH, H): lanes per head LH = min(CH, Q), CH/LH heads per group; the CPU warp has 4 lanes.
    [Theory]
    [InlineData(16, 4, 3)]     // LH = 4 = warp: shuffle scan, 4 rows per head
    [InlineData(4, 16, 5)]     // LH = 4: four heads per group, H = 5 leaves three idle heads in the second group
    [InlineData(256, 8, 2)]    // LH = 8 > warp: shared-memory scan, 32 rows
    [InlineData(64, 64, 2)]    // LH = 64: shared-memory scan over the whole group
    [InlineData(32, 2, 3)]     // a group smaller than a warp: shared-memory scan
    [InlineData(8, 1, 2)]      // one lane per head: a serial walk, as before
    [InlineData(2, 16, 3)]     // Q = 2 below the warp: 8 heads per group, LH = 2
    public void Cumsum_scans_every_chunk_of_every_head(int q, int ch, int heads)
    {
        var shape = new SsdShape(heads, 4, 1, 4);
        var config = new SsdPrefillConfig(q, ch, 4, 4, 16, Math.Min(q, 4), Math.Min(q, 8), Math.Min(q, 4), 4);
        // Ragged: chunks of every length from 1 to Q, a sequence shorter than a chunk and one of length 1.
        int[] lengths = q >= 64 ? [q + 3, 1, 40] : [(2 * q) + 3, 1, q - 1 > 0 ? q - 1 : 1, q + 1];
        // Large chunks run fp32 only: the CPU accelerator's barriers make Q = 256 slow.
        foreach (var f16 in q >= 64 ? new[] { false } : new[] { false, true })
        {
            var options = Options(f16);
            var (inputs, _, stages) = Run(shape, options, config, lengths);
            var expected = SsdReference.Cumsum(inputs, shape, options, stages.Table);
            SsdAssert.Close(stages.Dt, expected.Dt, 1e-6, $"processed dt (Q={q}, CH={ch}, f16={f16})");
            SsdAssert.Close(stages.DACumsum, expected.DACumsum, 1e-5, $"dA cumsum (Q={q}, CH={ch}, f16={f16})");
            for (var c = 0; c < stages.Table.Count; c++)
            {
                var length = stages.Table.Lengths[c];
                for (var h = 0; h < heads; h++)
                {
                    var row = ((h * stages.Table.Count) + c) * q;
                    stages.DACumsum[row + q - 1].Should().Be(
                        stages.DACumsum[row + length - 1], "the chunk total at Q − 1 is the value at the last real token");
                    for (var l = length; l < q; l++)
                        stages.Dt[row + l].Should().Be(0, "dt past a chunk's end is zero");
                }
            }
        }
    }

    // (P, N, PB): P·N a multiple of 4 takes 16-/8-byte vectors, else 4 elements with a short tail.
    [Theory]
    [InlineData(4, 8, 4)]      // P·N = 32: vectors, two groups per head
    [InlineData(6, 6, 4)]      // P·N = 36: vectors, the last group of a head is partial
    [InlineData(5, 3, 2)]      // P·N = 15: element by element, the last thread holds 3 elements
    [InlineData(8, 16, 64)]    // P·N = 128: one group per head, half its threads idle
    public void State_passing_carries_4_elements_per_thread(int p, int n, int pb)
    {
        var shape = new SsdShape(3, p, 1, n);
        var config = new SsdPrefillConfig(8, 4, 4, 4, pb, 4, 8, 4, 8);
        foreach (var f16 in new[] { false, true })
        {
            var options = Options(f16);
            // Sequences of 1 chunk, 2 chunks (prefetch depth 1), 5 chunks (depth 2) and a 1-token one.
            var (inputs, result, stages) = Run(shape, options, config, [8, 13, 37, 1]);
            var expected = SsdReference.StatePassing(
                inputs, shape, options, stages.Table, SsdReference.ToDouble(stages.ChunkStates), SsdReference.ToDouble(stages.DACumsum));
            var tolerance = f16 ? 1e-3 : 1e-6;
            SsdAssert.Close(stages.PassedStates, expected, tolerance, $"passed states (P·N={p * n}, PB={pb}, f16={f16})");
            SsdAssert.Close(result.FinalStates, SsdReference.FinalStates(shape, stages.Table, expected), tolerance, "final states");
        }
    }

    [Fact]
    public void A_ragged_batch_at_Q_256_matches_the_sequential_recurrence()
    {
        var shape = new SsdShape(2, 4, 1, 8);
        var options = Options(f16: false) with { HasZ = false };
        var config = new SsdPrefillConfig(256, 8, 4, 8, 8, 4, 8, 4, 4);
        var inputs = SsdHostInputs.Random(shape, options, [300, 1, 257], seed: 5);
        var result = fixture.Prefill.Run(inputs, shape, options, config);
        var expected = SsdReference.Recurrence(inputs, shape, options);
        SsdAssert.Close(result.Y, expected.Y, SsdAssert.F32, "y");
        SsdAssert.Close(result.FinalStates, expected.FinalStates, SsdAssert.F32, "final states");
    }

    [Fact]
    public void State_passing_uses_vectors_only_when_every_view_is_aligned_and_P_N_divides_by_4()
    {
        var accelerator = fixture.Device.Accelerator;
        using var floats = accelerator.Allocate1D<float>(64);
        using var halves = accelerator.Allocate1D<ILGPU.Half>(64);
        var f = floats.View.AsContiguous();
        var hv = halves.View.AsContiguous();
        SsdStatePassingKernel.CanUseVectors(32, f, f, ArrayView<float>.Empty, f).Should().BeTrue();
        SsdStatePassingKernel.CanUseVectors(30, f, f, ArrayView<float>.Empty, f).Should().BeFalse("P·N is not a multiple of 4");
        SsdStatePassingKernel.CanUseVectors(32, f, f, f.SubView(4, 32), f.SubView(2, 32)).Should().BeFalse("final states are off 16 bytes");
        SsdStatePassingKernel.CanUseVectors(32, f, f, f.SubView(1, 32), f).Should().BeFalse("initial states are off 16 bytes");
        SsdStatePassingKernel.CanUseVectors(32, f, hv, hv.SubView(4, 32), hv).Should().BeTrue("fp16 vectors need 8 bytes");
        SsdStatePassingKernel.CanUseVectors(32, f, hv, hv.SubView(2, 32), hv).Should().BeFalse();
        SsdStatePassingKernel.GroupsPerHead(36, 4).Should().Be(3);
        SsdStatePassingKernel.GroupsPerHead(8192, 256).Should().Be(8);
    }

    [Theory]
    [InlineData(64, 32, 32, 1)]
    [InlineData(16, 32, 16, 2)]
    [InlineData(256, 4, 4, 1)]
    [InlineData(1, 8, 1, 8)]
    public void Cumsum_groups_split_into_heads_of_min_CH_Q_lanes(int q, int ch, int lanes, int heads)
    {
        var config = new SsdPrefillConfig(q, ch, 4, 4, 16, 4, 4, 4, 4);
        SsdCumsumKernel.LanesPerHead(config).Should().Be(lanes);
        SsdCumsumKernel.HeadsPerGroup(config).Should().Be(heads);
    }
}
