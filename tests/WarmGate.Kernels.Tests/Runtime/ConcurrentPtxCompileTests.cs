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
/// tiled SSD kernels (SIMT, and tensor-core ones with fp16 and TF32 products) give the same PTX.
/// </summary>
public sealed partial class ConcurrentPtxCompileTests
{
    private static MethodInfo[] Kernels()
    {
        var shape = new SsdShape(8, 64, 2, 128);
        var simt = SsdPrefillConfig.Default(cuda: true);
        var tensorCores = SsdPrefillConfig.Candidates(cuda: true).First(c => c.TensorCores);
        var plans = new[] { false, true }
            .Select(init => new SsdKernelPlan(shape, new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = init }, simt))
            .Concat(new[] { Dtype.F16, Dtype.F32 }
                .Select(input => new SsdKernelPlan(shape, new SsdOptions { DtSoftplus = true, DMode = SsdDMode.PerHead, InputDtype = input }, tensorCores)));
        return plans
            .SelectMany(p => new[] { p.Cumsum, p.ChunkState, p.StatePassing, p.Bmm, p.ChunkScan })
            .Distinct()
            .ToArray();
    }

    /// <summary>
    /// The PTX up to names and order: ILGPU orders IR values by ids from one process-wide counter
    /// (<c>InstanceId.CreateNew</c>), so symbol and register numbers depend on what else was compiled
    /// before, in this process, by any test. Where ids order things, so do which register of a class
    /// an instruction names and the order of independent instructions (full test runs showed both:
    /// <c>%f138, %f115</c> against <c>%f138, %f108</c>, and a run of independent <c>setp</c>s in
    /// another order). Symbol numbers and register counts are masked, registers keep only their
    /// class, and the lines are compared as a sorted list: the same instructions, types, immediates
    /// and operand classes must be there, in any order.
    /// </summary>
    private static string Normalized(string ptx)
    {
        var masked = Registers().Replace(RegisterCounts().Replace(Numbers().Replace(ptx, "_N"), "<N>"), m => $"%{m.Groups[1].Value}");
        var lines = masked.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(lines, StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

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
        kernels.Should().HaveCountGreaterThan(10, "two SIMT keys (with and without initial states) and two tensor-core keys (fp16, fp32)");
        var serial = CompileAll(kernels, threads: 1);
        var concurrent = CompileAll(kernels, threads: 4);

        foreach (var kernel in kernels)
            concurrent[kernel].Should().Be(serial[kernel], $"{kernel.DeclaringType!.Name} compiled concurrently");
    }
}
