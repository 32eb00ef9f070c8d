using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Tests.Ptx;

/// <summary>
/// Compiles kernels with ILGPU's PTX backend, which needs no GPU: catches what the CPU
/// accelerator cannot (intrinsics with no PTX mapping, shared sizes that do not fold).
/// </summary>
internal sealed class PtxCompiler : IDisposable
{
    private readonly Context context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
    private readonly PTXBackend backend;

    public PtxCompiler() =>
        backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);

    public string Compile(MethodInfo kernel) =>
        ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), default)).PTXAssembly;

    public void Dispose()
    {
        backend.Dispose();
        context.Dispose();
    }
}
