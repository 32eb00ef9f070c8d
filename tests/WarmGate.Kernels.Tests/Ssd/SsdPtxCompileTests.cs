using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The CPU accelerator runs kernels as .NET code, so it cannot tell whether ILGPU's CUDA backend
/// accepts them (an intrinsic without a PTX mapping, a shared allocation whose size does not fold
/// to a constant). ILGPU's PTX backend needs no GPU: these tests compile every stage to PTX here.
/// </summary>
public sealed class SsdPtxCompileTests
{
    public static TheoryData<string> Variants => ["mamba2-f32", "all-on-f16", "init-f16-state"];

    private static SsdOptions Options(string variant) => variant switch
    {
        "mamba2-f32" => new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead },
        "all-on-f16" => new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
            DtMin = 0.001f, DtMax = 1f, InputDtype = Dtype.F16, StateDtype = Dtype.F16,
        },
        "init-f16-state" => new SsdOptions { HasInitialStates = true, StateDtype = Dtype.F16 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_stage_compiles_to_ptx(string variant)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var plan = new SsdKernelPlan(new SsdShape(8, 64, 2, 128), Options(variant), SsdPrefillConfig.Default(cuda: true));
        var kernels = new[] { plan.Cumsum, plan.ChunkState, plan.StatePassing, plan.Bmm, plan.ChunkScan };

        foreach (var kernel in kernels)
        {
            var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), default);
            compiled.PTXAssembly.Should().Contain(".entry", $"{kernel.DeclaringType!.Name} should compile to a PTX entry point");
        }
    }

    [Fact]
    public void Shared_memory_of_a_chunk_is_a_static_allocation_sized_by_Q()
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var config = SsdPrefillConfig.Default(cuda: true) with { ChunkSize = 128 };
        var plan = new SsdKernelPlan(new SsdShape(8, 64, 1, 128), Options("mamba2-f32"), config);
        var ptx = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(plan.ChunkScan), default))
            .PTXAssembly;
        ptx.Should().Contain(".shared .align 4 .b8 __shared_alloca0[512]", "cs holds Q=128 floats");
        ptx.Should().Contain("ex2.approx.f32", "exp maps to the hardware ex2");
    }
}
