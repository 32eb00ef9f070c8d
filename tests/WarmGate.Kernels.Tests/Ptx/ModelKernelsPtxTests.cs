using System.Reflection;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Tests.Ptx;

/// <summary>Every non-SSD kernel the Mamba2 model launches compiles to PTX in its CUDA configurations.</summary>
public sealed class ModelKernelsPtxTests : IDisposable
{
    private readonly PtxCompiler ptx = new();

    public void Dispose() => ptx.Dispose();

    private static MethodInfo Kernel(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    [Fact]
    public void Every_cuda_gemm_configuration_compiles()
    {
        foreach (var c in LinearConfig.CudaCandidates)
        {
            foreach (var bias in new[] { false, true })
            {
                var method = Kernel(typeof(LinearKernels), nameof(LinearKernels.Gemm)).MakeGenericMethod(
                    TypeConstants.Constant(c.BM), TypeConstants.Constant(c.BN), TypeConstants.Constant(c.BK),
                    TypeConstants.Constant(c.TM), TypeConstants.Flag(bias));
                ptx.Compile(method).Should().Contain(".entry", c.ToString());
            }
        }
    }

    [Fact]
    public void Norms_gather_and_add_compile()
    {
        foreach (var gated in new[] { typeof(On), typeof(Off) })
        {
            var norm = Kernel(typeof(NormKernels), nameof(NormKernels.RmsNorm)).MakeGenericMethod(typeof(C128), gated);
            ptx.Compile(norm).Should().Contain("sqrt.rn.f32");
        }
        ptx.Compile(Kernel(typeof(ElementwiseKernels), nameof(ElementwiseKernels.Gather))).Should().Contain(".entry");
        ptx.Compile(Kernel(typeof(ElementwiseKernels), nameof(ElementwiseKernels.Add))).Should().Contain(".entry");
    }

    public static TheoryData<Dtype, Dtype, DSkip, bool> StateUpdateVariants => new()
    {
        { Dtype.F32, Dtype.F32, DSkip.PerHead, false },
        { Dtype.F16, Dtype.F16, DSkip.PerChannel, true },
        { Dtype.F32, Dtype.F16, DSkip.None, false },
    };

    [Theory]
    [MemberData(nameof(StateUpdateVariants))]
    public void Every_cuda_state_update_configuration_compiles(Dtype input, Dtype state, DSkip d, bool z)
    {
        var options = new StateUpdateOptions(input, state, d, z);
        foreach (var config in StateUpdateConfig.Candidates(cuda: true))
            ptx.Compile(SelectiveStateUpdate.Methods.Get((options, config))).Should().Contain("ex2.approx", config.ToString());
    }

    [Theory]
    [InlineData(Dtype.F32, true, true)]
    [InlineData(Dtype.F16, false, false)]
    public void Every_cuda_conv_configuration_compiles(Dtype input, bool bias, bool silu)
    {
        var options = new Conv1dOptions(input, bias, silu);
        foreach (var init in new[] { false, true })
        {
            foreach (var config in ConvPrefillConfig.Candidates(cuda: true))
                ptx.Compile(CausalConv1d.PrefillMethods.Get((options, init, config))).Should().Contain(".entry");
        }
        foreach (var config in ConvUpdateConfig.Candidates(cuda: true))
            ptx.Compile(CausalConv1d.UpdateMethods.Get((options, config))).Should().Contain(".entry");
    }
}
