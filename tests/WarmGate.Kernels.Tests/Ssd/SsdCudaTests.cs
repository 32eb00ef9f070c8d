using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>The CUDA device, opened on first use so that skipped tests never touch it.</summary>
public sealed class SsdCudaFixture : IDisposable
{
    private readonly Lazy<(DeviceHandle Device, KernelRegistry Registry, SsdPrefill Prefill)> state = new(() =>
    {
        var device = DeviceSelector.Open(DeviceKind.Cuda);
        var registry = new KernelRegistry(device.Accelerator, "ssd-cuda-tests");
        return (device, registry, new SsdPrefill(registry));
    });

    public SsdPrefill Prefill => state.Value.Prefill;

    public KernelRegistry Registry => state.Value.Registry;

    public void Dispose()
    {
        if (!state.IsValueCreated) return;
        state.Value.Prefill.Dispose();
        state.Value.Registry.Dispose();
        state.Value.Device.Dispose();
    }
}

/// <summary>The same correctness checks on CUDA with model-sized shapes (skipped without a CUDA device).</summary>
public sealed class SsdCudaTests(SsdCudaFixture fixture) : IClassFixture<SsdCudaFixture>
{
    private static readonly SsdOptions Mamba2 = new() { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead };

    private static readonly SsdShape Small = new(8, 64, 1, 128);

    private SsdHostResult Check(SsdShape shape, SsdOptions options, int[] lengths, SsdPrefillConfig? config = null, int seed = 1) =>
        SsdChecks.AgainstRecurrence(
            fixture.Prefill, shape, options, SsdHostInputs.Random(shape, options, lengths, seed), config ?? SsdPrefillConfig.Default(cuda: true));

    [CudaFact]
    public void One_long_sequence() => Check(Small, Mamba2, [2048]);

    [CudaFact]
    public void Mamba2_2_7B_heads_with_fp16_inputs_and_states() =>
        Check(new SsdShape(80, 64, 1, 128), Mamba2 with { InputDtype = Dtype.F16, StateDtype = Dtype.F16, HasInitialStates = true }, [2048]);

    [CudaFact]
    public void Varlen_with_every_option() =>
        Check(
            new SsdShape(16, 64, 4, 128),
            Mamba2 with { HasZ = true, HasInitialStates = true, DMode = SsdDMode.PerChannel, DtMin = 0.001f, DtMax = 0.5f },
            [1, 700, 63, 1, 1283]);

    [CudaFact]
    public void State_size_256_and_odd_head_dim() =>
        Check(new SsdShape(8, 50, 2, 256), Mamba2 with { HasInitialStates = true }, [300, 211]);

    [CudaFact]
    public void Every_cuda_candidate_gives_the_same_result()
    {
        var options = Mamba2 with { HasInitialStates = true, HasZ = true };
        var inputs = SsdHostInputs.Random(Small, options, [1000, 1048], seed: 3);
        foreach (var config in SsdPrefillConfig.Candidates(cuda: true))
            SsdChecks.AgainstRecurrence(fixture.Prefill, Small, options, inputs, config);
    }

    [CudaFact]
    public void Each_stage_matches_its_reference()
    {
        var options = Mamba2 with { HasInitialStates = true, HasZ = true };
        var inputs = SsdHostInputs.Random(Small, options, [517, 1, 1000], seed: 4, stridePadding: 5);
        var result = fixture.Prefill.Run(inputs, Small, options, SsdPrefillConfig.Default(cuda: true), captureStages: true);
        var s = result.Stages!;
        var cumsum = SsdReference.Cumsum(inputs, Small, options, s.Table);
        SsdAssert.Close(s.DACumsum, cumsum.DACumsum, 1e-5, "dA cumsum");
        var dt = SsdReference.ToDouble(s.Dt);
        var dA = SsdReference.ToDouble(s.DACumsum);
        SsdAssert.Close(s.ChunkStates, SsdReference.ChunkState(inputs, Small, s.Table, dt, dA), 1e-5, "chunk states");
        var passed = SsdReference.StatePassing(inputs, Small, options, s.Table, SsdReference.ToDouble(s.ChunkStates), dA);
        SsdAssert.Close(s.PassedStates, passed, 1e-5, "passed states");
        SsdAssert.Close(s.CB, SsdReference.Bmm(inputs, Small, s.Table), 1e-5, "CB");
        var y = SsdReference.ChunkScan(inputs, Small, options, s.Table, dt, dA, SsdReference.ToDouble(s.CB), SsdReference.ToDouble(s.PassedStates));
        SsdAssert.Close(result.Y, y, 1e-5, "y");
    }

    [CudaFact]
    public void After_warmup_new_lengths_compile_nothing()
    {
        var options = Mamba2 with { HasInitialStates = true };
        fixture.Prefill.Load(Small, options, SsdPrefillConfig.Default(cuda: true));
        var before = fixture.Registry.Compilations;
        Check(Small, options, [5, 2000]);
        Check(Small, options, [64, 64, 64]);
        fixture.Registry.Compilations.Should().Be(before);
    }
}
