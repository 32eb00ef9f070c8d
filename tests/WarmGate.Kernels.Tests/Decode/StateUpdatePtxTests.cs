using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Tests.Ptx;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>
/// The CUDA candidates of the state update with N as a constant compile to PTX (no GPU needed), and
/// the vector path really moves the state in 16-byte (fp32) or 8-byte (fp16) accesses. (ILGPU at
/// O1 leaves branches on folded constants in the PTX, so a path that is off for a configuration
/// may still show; ptxas drops it.)
/// </summary>
public sealed class StateUpdatePtxTests : IDisposable
{
    private readonly PtxCompiler ptx = new();

    public void Dispose() => ptx.Dispose();

    [Theory]
    [InlineData(128)]
    [InlineData(64)]
    [InlineData(256)]
    public void Every_cuda_candidate_with_constant_N_uses_vector_loads_and_stores_of_the_fp32_state(int n)
    {
        var options = new StateUpdateOptions();
        foreach (var config in StateUpdateConfig.Candidates(cuda: true))
        {
            var code = ptx.Compile(SelectiveStateUpdate.Methods.Get(options, config, n));
            if (n % (4 * config.LanesPerRow) == 0)
                code.Should().Contain("ld.v4.f32", $"{config} at N={n}").And.Contain("st.v4.f32", $"{config} at N={n}");
            code.Should().Contain("ld.shared.v4.f32", "B and C are read back from shared memory as vectors")
                .And.Contain("shfl.sync.bfly", "rows of at most 32 lanes reduce with warp shuffles")
                .And.NotContain(".local", "no value may spill to local memory");
        }
    }

    [Fact]
    public void Streaming_hint_candidates_store_the_fp32_state_evict_first()
    {
        var options = new StateUpdateOptions();
        var hinted = StateUpdateConfig.Candidates(cuda: true).Where(c => c.StreamingHints).ToList();
        hinted.Should().NotBeEmpty();
        foreach (var config in hinted)
        {
            var code = ptx.Compile(SelectiveStateUpdate.Methods.Get(options, config, 128));
            code.Should().Contain("st.global.cs.v4.f32", config.ToString()).And.NotContain(".local", config.ToString());
        }
        ptx.Compile(SelectiveStateUpdate.Methods.Get(options, StateUpdateConfig.Default(cuda: true), 128))
            .Should().NotContain(".cs.v4", "the default config takes no hints");
    }

    [Fact]
    public void Every_tile_walking_candidate_prefetches_the_next_tiles_state()
    {
        var options = new StateUpdateOptions();
        foreach (var config in StateUpdateConfig.Candidates(cuda: true).Where(c => c.ItemsPerGroup > 1))
        {
            var code = ptx.Compile(SelectiveStateUpdate.Methods.Get(options, config, 128));
            // The first tile's loads, the next tile's loads inside the update and the next tile's loads past a padding tile.
            var loads = System.Text.RegularExpressions.Regex.Matches(code, @"ld(\.global)?\.v4\.f32").Count;
            loads.Should().BeGreaterThanOrEqualTo(3 * Math.Min(8, 128 / (4 * config.LanesPerRow) is var v && v < config.VectorsPerPass ? v : config.VectorsPerPass), config.ToString());
        }
    }

    [Fact]
    public void Fp16_state_vectors_are_four_halves()
    {
        var code = ptx.Compile(SelectiveStateUpdate.Methods.Get(
            new StateUpdateOptions(Dtype.F16, Dtype.F16, DSkip.PerChannel, Z: true), StateUpdateConfig.Default(cuda: true), 128));
        code.Should().Contain("ld.v4.b16").And.Contain("st.v4.b16");
    }
}
