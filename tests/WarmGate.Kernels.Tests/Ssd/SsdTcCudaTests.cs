using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// Every tensor-core CUDA candidate on the GPU (skipped without a CUDA device): end to end against
/// the float64 recurrence at the bench's fp16 tolerance, and stage by stage with tighter tolerances,
/// so a fragment-layout bug on the hardware (the one part the CPU tests cannot see) fails here.
/// fp32 inputs run the same candidates on TF32 products, at the bench's fp32 gate (1e-3).
/// </summary>
public sealed class SsdTcCudaTests(SsdCudaFixture fixture) : IClassFixture<SsdCudaFixture>
{
    private static readonly SsdOptions AllOn = new()
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
        InputDtype = Dtype.F16,
    };

    private static readonly SsdOptions Mamba2F16States = new()
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, InputDtype = Dtype.F16, StateDtype = Dtype.F16,
    };

    private static IEnumerable<SsdPrefillConfig> TensorCoreCandidates => SsdPrefillConfig.Candidates(cuda: true).Where(c => c.TensorCores);

    /// <summary>Runs <paramref name="run"/>, naming the config in any launch error (assertion messages already do).</summary>
    private static T Named<T>(SsdPrefillConfig config, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"config {config}: {e.GetType().Name}: {e.Message}", e);
        }
    }

    [CudaFact]
    public void Every_tensor_core_candidate_matches_the_recurrence()
    {
        var cases = new (SsdShape Shape, SsdOptions Options, int[] Lengths)[]
        {
            (new SsdShape(6, 64, 2, 128), AllOn, [300]),
            (new SsdShape(8, 64, 1, 128), Mamba2F16States, [1, 150, 149]),
            (new SsdShape(4, 64, 4, 128), AllOn with { DMode = SsdDMode.PerHead, HasZ = false }, [257, 45]),
        };
        foreach (var (shape, options, lengths) in cases)
        {
            var inputs = SsdHostInputs.Random(shape, options, lengths, seed: lengths.Length);
            foreach (var config in TensorCoreCandidates)
                Named(config, () => SsdChecks.AgainstRecurrence(fixture.Prefill, shape, options, inputs, config));
        }
    }

    [CudaFact]
    public void Every_tensor_core_candidate_matches_each_stage_reference()
    {
        var shape = new SsdShape(4, 64, 2, 128);
        var inputs = SsdHostInputs.Random(shape, AllOn, [300, 7], seed: 2, stridePadding: 3);
        foreach (var config in TensorCoreCandidates)
        {
            var result = Named(config, () => fixture.Prefill.Run(inputs, shape, AllOn, config, captureStages: true));
            var s = result.Stages!;
            var dt = SsdReference.ToDouble(s.Dt);
            var dA = SsdReference.ToDouble(s.DACumsum);
            SsdAssert.Close(s.CB, SsdReference.Bmm(inputs, shape, s.Table), 1e-5, $"CB ({config})");
            SsdAssert.Close(s.ChunkStates, SsdReference.ChunkState(inputs, shape, s.Table, dt, dA), 3e-3, $"chunk states ({config})");
            var y = SsdReference.ChunkScan(
                inputs, shape, AllOn, s.Table, dt, dA, SsdReference.ToDouble(s.CB), SsdReference.ToDouble(s.PassedStates));
            SsdAssert.Close(result.Y, y, 3e-3, $"y ({config})");
        }
    }

    [CudaFact]
    public void Every_tensor_core_candidate_with_fp32_inputs_matches_the_recurrence_on_tf32()
    {
        var f32 = AllOn with { InputDtype = Dtype.F32 };
        var cases = new (SsdShape Shape, SsdOptions Options, int[] Lengths)[]
        {
            (new SsdShape(6, 64, 2, 128), f32, [300]),
            (new SsdShape(8, 64, 1, 128), f32 with { DMode = SsdDMode.PerHead, HasZ = false, HasInitialStates = false }, [1, 150, 149]),
            (new SsdShape(4, 64, 4, 128), f32 with { StateDtype = Dtype.F16 }, [257, 45]),
        };
        foreach (var (shape, options, lengths) in cases)
        {
            var inputs = SsdHostInputs.Random(shape, options, lengths, seed: lengths.Length + 10, stridePadding: lengths.Length == 1 ? 0 : 3);
            foreach (var config in TensorCoreCandidates)
                Named(config, () => SsdChecks.AgainstRecurrence(fixture.Prefill, shape, options, inputs, config));
        }
    }

    [CudaFact]
    public void A_long_fp32_mamba2_sequence_stays_within_the_tf32_tolerance()
    {
        var shape = new SsdShape(8, 64, 1, 128);
        var options = new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead };
        var inputs = SsdHostInputs.Random(shape, options, [4096], seed: 6);
        foreach (var config in TensorCoreCandidates.Where(c => c.ChunkSize == 256).Take(1))
            SsdChecks.AgainstRecurrence(fixture.Prefill, shape, options, inputs, config);
    }

    [CudaFact]
    public void A_long_mamba2_sequence_stays_within_the_fp16_tolerance()
    {
        var shape = new SsdShape(8, 64, 1, 128);
        var inputs = SsdHostInputs.Random(shape, Mamba2F16States, [4096], seed: 5);
        foreach (var config in TensorCoreCandidates.Where(c => c.ChunkSize == 256).Take(1))
            SsdChecks.AgainstRecurrence(fixture.Prefill, shape, Mamba2F16States, inputs, config);
    }
}
