using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Runtime;

/// <summary>
/// The registry compiles different kernels concurrently with one backend. ILGPU's PTX backend runs
/// without a GPU, so here the concurrency it relies on (IL frontend under the context's
/// code-generation semaphore, IR and type contexts under reader-writer locks, backend passes in a
/// private context per kernel) is checked for CUDA code: concurrent and serial compiles of the
/// tiled SSD kernels give the same PTX.
/// </summary>
public sealed partial class ConcurrentPtxCompileTests
{
    private static MethodInfo[] Kernels()
    {
        var shape = new SsdShape(8, 64, 2, 128);
        var config = SsdPrefillConfig.Default(cuda: true);
        return new[] { false, true }
            .Select(init => new SsdKernelPlan(shape, new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = init }, config))
            .SelectMany(p => new[] { p.Cumsum, p.ChunkState, p.StatePassing, p.Bmm, p.ChunkScan })
            .Distinct()
            .ToArray();
    }

    /// <summary>
    /// The PTX up to names: ILGPU orders IR values by ids from one process-wide counter
    /// (<c>InstanceId.CreateNew</c>), so symbol and register numbers depend on what else was compiled
    /// before, in this process, by any test, and where ids order operands, even which register of a
    /// class an instruction names (a full CI run once gave <c>%f138, %f115</c> against
    /// <c>%f138, %f108</c>). Symbol numbers and register counts are masked and registers keep only
    /// their class: the instructions, their types, immediates and operand classes must be the same.
    /// </summary>
    private static string Normalized(string ptx) =>
        Registers().Replace(RegisterCounts().Replace(Numbers().Replace(ptx, "_N"), "<N>"), m => $"%{m.Groups[1].Value}");

    [GeneratedRegex(@"_\d+")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"<\d+>")]
    private static partial Regex RegisterCounts();

    [GeneratedRegex(@"%([a-z]+)(\d+)\b")]
    private static partial Regex Registers();

    private static Dictionary<MethodInfo, string> CompileAll(MethodInfo[] kernels, int threads)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var ptx = new ConcurrentDictionary<MethodInfo, string>();
        Parallel.ForEach(kernels, new ParallelOptions { MaxDegreeOfParallelism = threads }, kernel =>
            ptx[kernel] = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), default)).PTXAssembly);
        return ptx.ToDictionary(p => p.Key, p => Normalized(p.Value));
    }

    [Fact]
    public void Concurrent_compiles_on_one_PTX_backend_give_the_PTX_of_serial_ones()
    {
        var kernels = Kernels();
        kernels.Should().HaveCountGreaterThan(5, "both SSD keys, with and without initial states");
        var serial = CompileAll(kernels, threads: 1);
        var concurrent = CompileAll(kernels, threads: 4);

        foreach (var kernel in kernels)
            concurrent[kernel].Should().Be(serial[kernel], $"{kernel.DeclaringType!.Name} compiled concurrently");
    }
}
