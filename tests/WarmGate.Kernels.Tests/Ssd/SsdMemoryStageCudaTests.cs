using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The cumsum scan and the 4-element state passing on CUDA at model size, through every split the
/// default config never takes there: a group smaller than a warp and heads wider than a warp
/// (shared-memory scans), Q = 256, and an fp16 state (8-byte vectors). Skipped without a CUDA device.
/// </summary>
public sealed class SsdMemoryStageCudaTests(SsdCudaFixture fixture) : IClassFixture<SsdCudaFixture>
{
    private static readonly SsdShape Shape = new(80, 64, 1, 128);

    [CudaFact]
    public void Cumsum_and_state_passing_match_their_references_for_every_scan_split()
    {
        var baseConfig = SsdPrefillConfig.Default(cuda: true);
        SsdPrefillConfig[] configs =
        [
            baseConfig with { CumsumHeads = 16 },                          // half a warp: shared-memory scan
            baseConfig with { ChunkSize = 256, CumsumHeads = 64, ScanTileRows = 256 },   // LH = 64 > warp: shared-memory scan
            baseConfig with { ChunkSize = 16, CumsumHeads = 128, ScanTileRows = 16 },    // 8 heads per group, 16 lanes each
            baseConfig with { PassingBlock = 64 },
        ];
        foreach (var f16 in new[] { false, true })
        {
            var options = new SsdOptions
            {
                DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = true,
                StateDtype = f16 ? Dtype.F16 : Dtype.F32,
            };
            foreach (var config in configs)
            {
                var inputs = SsdHostInputs.Random(Shape, options, [517, 1, 300], seed: 9, stridePadding: 3);
                var result = fixture.Prefill.Run(inputs, Shape, options, config, captureStages: true);
                var s = result.Stages!;
                var cumsum = SsdReference.Cumsum(inputs, Shape, options, s.Table);
                SsdAssert.Close(s.Dt, cumsum.Dt, 1e-6, $"processed dt ({config})");
                SsdAssert.Close(s.DACumsum, cumsum.DACumsum, 1e-5, $"dA cumsum ({config})");
                var passed = SsdReference.StatePassing(
                    inputs, Shape, options, s.Table, SsdReference.ToDouble(s.ChunkStates), SsdReference.ToDouble(s.DACumsum));
                var tolerance = f16 ? 1e-3 : 1e-5;
                SsdAssert.Close(s.PassedStates, passed, tolerance, $"passed states ({config}, f16={f16})");
                SsdAssert.Close(result.FinalStates, SsdReference.FinalStates(Shape, s.Table, passed), tolerance, $"final states ({config})");
            }
        }
    }
}
