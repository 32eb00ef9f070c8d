using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>The decode kernels at model sizes (Mamba2-2.7B: H=80, P=64, N=128; batch 256) on a CUDA device.</summary>
public sealed class DecodeCudaTests
{
    private static readonly StateUpdateShape Shape = new(80, 64, 1, 128);

    private const int Cache = 272;

    /// <summary>256 rows: a shuffled mapping onto <see cref="Cache"/> slots with every 16th row padding.</summary>
    private static int[] Slots()
    {
        var slots = Enumerable.Range(0, Cache).ToArray();
        new Random(1).Shuffle(slots);
        return slots.Take(256).Select((s, i) => i % 16 == 5 ? -1 : s).ToArray();
    }

    private static void WithCuda(Action<KernelRegistry, bool> test)
    {
        using var device = DeviceSelector.Open(DeviceKind.Cuda);
        using var registry = new KernelRegistry(device.Accelerator, "decode-cuda-" + Guid.NewGuid().ToString("N"));
        test(registry, device.IsCuda);
    }

    [DecodeCudaFact]
    public void Every_cuda_candidate_of_the_state_update_matches_the_reference_at_model_size() => WithCuda((registry, cuda) =>
    {
        cuda.Should().BeTrue();
        var op = new SelectiveStateUpdate(registry);
        foreach (var config in StateUpdateConfig.Candidates(cuda: true))
        {
            new StateUpdateCase(Shape, new StateUpdateOptions(Z: true), Slots(), Cache) { Config = config }
                .Run(op).ShouldMatchReference();
        }
    });

    [DecodeCudaFact]
    public void Fp16_state_and_inputs_with_groups_match_the_reference_at_model_size() => WithCuda((registry, _) =>
        new StateUpdateCase(new StateUpdateShape(128, 64, 8, 128), new StateUpdateOptions(Dtype.F16, Dtype.F16, DSkip.PerChannel), Slots(), Cache)
        {
            Pad = 8,
        }.Run(new SelectiveStateUpdate(registry)).ShouldMatchReference());

    [DecodeCudaFact]
    public void Every_cuda_candidate_of_the_conv_matches_the_reference_at_model_size() => WithCuda((registry, cuda) =>
    {
        var op = new CausalConv1d(registry);
        var shape = new Conv1dShape(5376, 4);
        int[] cuSeqlens = [0, 1, 700, 702, 2048];
        foreach (var config in ConvPrefillConfig.Candidates(cuda))
        {
            new ConvCase(shape, new Conv1dOptions(), [3, 0, 7, 5], 8) { CuSeqlens = cuSeqlens, InitialStates = true, PrefillConfig = config }
                .Run(op).ShouldMatchReference();
        }
        foreach (var config in ConvUpdateConfig.Candidates(cuda))
            new ConvCase(shape, new Conv1dOptions(Dtype.F16), Slots(), Cache) { UpdateConfig = config }.Run(op).ShouldMatchReference();
    });
}
