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
    public void Fp16_state_vectors_are_four_halves()
    {
        var code = ptx.Compile(SelectiveStateUpdate.Methods.Get(
            new StateUpdateOptions(Dtype.F16, Dtype.F16, DSkip.PerChannel, Z: true), StateUpdateConfig.Default(cuda: true), 128));
        code.Should().Contain("ld.v4.b16").And.Contain("st.v4.b16");
    }
}
