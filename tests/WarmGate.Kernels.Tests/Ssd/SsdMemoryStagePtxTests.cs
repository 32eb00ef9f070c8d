using System.Text.RegularExpressions;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tests.Ptx;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The PTX of <c>ssd.cumsum</c> and <c>ssd.state_passing</c> for every CUDA candidate config: the
/// cumsum scans with warp shuffles, the state passing moves 16-byte (fp32) or 8-byte (fp16)
/// vectors, and nothing spills to local memory.
/// </summary>
public sealed partial class SsdMemoryStagePtxTests : IDisposable
{
    private readonly PtxCompiler ptx = new();

    public void Dispose() => ptx.Dispose();

    [GeneratedRegex(@"ld(\.global)?\.v4\.f32")]
    private static partial Regex LoadV4F32();

    [GeneratedRegex(@"st(\.global)?\.v4\.f32")]
    private static partial Regex StoreV4F32();

    [GeneratedRegex(@"st(\.global)?\.v4\.b16")]
    private static partial Regex StoreV4B16();

    [Fact]
    public void Every_cuda_candidate_scans_with_shuffles_and_passes_states_in_vectors()
    {
        var shape = new SsdShape(80, 64, 1, 128);
        var options = new SsdOptions { DtSoftplus = true, HasDtBias = true, HasInitialStates = true, DMode = SsdDMode.PerHead };
        foreach (var config in SsdPrefillConfig.Candidates(cuda: true))
        {
            var plan = new SsdKernelPlan(shape, options, config);
            var cumsum = ptx.Compile(plan.Cumsum);
            cumsum.Should().Contain("shfl.sync.up", config.ToString()).And.Contain("shfl.sync.idx", config.ToString())
                .And.NotContain(".local", config.ToString());
            var passing = ptx.Compile(plan.StatePassing);
            LoadV4F32().IsMatch(passing).Should().BeTrue($"chunk states load as 16-byte vectors ({config})");
            StoreV4F32().IsMatch(passing).Should().BeTrue($"fp32 passed states store as 16-byte vectors ({config})");
            passing.Should().NotContain(".local", config.ToString());
        }
    }

    [Fact]
    public void Fp16_passed_states_store_as_four_halves()
    {
        var options = new SsdOptions { HasInitialStates = true, StateDtype = Dtype.F16 };
        var plan = new SsdKernelPlan(new SsdShape(8, 64, 2, 128), options, SsdPrefillConfig.Default(cuda: true));
        StoreV4B16().IsMatch(ptx.Compile(plan.StatePassing)).Should().BeTrue();
    }
}
