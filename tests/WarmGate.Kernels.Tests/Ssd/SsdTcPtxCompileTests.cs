using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The tensor-core kernels through ILGPU's PTX backend (no GPU needed): every tensor-core CUDA
/// candidate compiles, the CUDA branch of the MMA block is the one kept (the mma instruction is in
/// the PTX, the CPU emulation is not), and the static shared memory stays under 48 KB.
/// </summary>
public sealed class SsdTcPtxCompileTests
{
    private const string Mma = "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32";
    private const string Tf32Mma = "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32";

    private static readonly SsdOptions AllOn = new()
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerChannel, HasZ = true, HasInitialStates = true,
        DtMin = 0.001f, DtMax = 1f, InputDtype = Dtype.F16, StateDtype = Dtype.F16,
    };

    public static TheoryData<string> TensorCoreCandidates =>
        [.. SsdPrefillConfig.Candidates(cuda: true).Where(c => c.TensorCores).Select(c => c.ToString())];

    private static string Ptx(PTXBackend backend, System.Reflection.MethodInfo kernel) =>
        ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), default)).PTXAssembly;

    /// <summary>
    /// The one local-memory use ILGPU 1.5.3 forces on these kernels: reading the 32 named accumulator
    /// registers out once in the epilogue (an inline-PTX output goes through an 8-byte local slot; 16
    /// slots, one store and two loads each, plus the zeroing store of each out variable). Nothing in
    /// the k loop may touch local memory, so any more than this is a regression.
    /// </summary>
    private const int ReadOutSlots = 16;

    private static long LocalBytes(string ptx) =>
        System.Text.RegularExpressions.Regex.Matches(ptx, @"\.local \.align \d+ \.b8 \w+\[(\d+)\]")
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static int Count(string ptx, string instruction) =>
        System.Text.RegularExpressions.Regex.Matches(ptx, System.Text.RegularExpressions.Regex.Escape(instruction)).Count;

    private static long SharedBytes(string ptx) =>
        System.Text.RegularExpressions.Regex.Matches(ptx, @"\.shared \.align \d+ \.b8 \w+\[(\d+)\]")
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(TensorCoreCandidates))]
    public void Every_tensor_core_candidate_compiles_to_mma_ptx(string config)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var plan = new SsdKernelPlan(new SsdShape(8, 64, 2, 128), AllOn, SsdPrefillConfig.Parse(config));
        foreach (var kernel in new[] { plan.ChunkState, plan.Bmm, plan.ChunkScan })
        {
            kernel.DeclaringType!.Name.Should().StartWith("SsdTc", "a TC=1 config with fp16 inputs runs the tensor-core kernels");
            var ptx = Ptx(backend, kernel);
            ptx.Should().Contain(".entry", $"{kernel.DeclaringType.Name} should compile to a PTX entry point");
            ptx.Should().Contain(Mma, $"{kernel.DeclaringType.Name} should issue tensor-core products");
            ptx.Should().Contain("cvt.rn.f16.f32", "operands are rounded to fp16 when staged");
            SharedBytes(ptx).Should().BeLessThanOrEqualTo(48 * 1024, $"{kernel.DeclaringType.Name} static shared memory must fit 48 KB");
            var where = $"{kernel.DeclaringType.Name} ({config})";
            LocalBytes(ptx).Should().BeLessThanOrEqualTo(8 * ReadOutSlots, $"{where}: only the epilogue read-out may use local memory");
            Count(ptx, "ld.local").Should().BeLessThanOrEqualTo(2 * ReadOutSlots, $"{where}: no local loads in the k loop");
            Count(ptx, "st.local").Should().BeLessThanOrEqualTo(2 * ReadOutSlots, $"{where}: no local stores in the k loop");
            System.Text.RegularExpressions.Regex.IsMatch(ptx, @"ld(\.global)?\.v4\.(b|u)32").Should().BeTrue(
                $"{where}: operands are staged with 16-byte loads where the views allow it");
            System.Text.RegularExpressions.Regex.IsMatch(ptx, @"\bmov\s+%").Should().BeFalse(
                $"{where}: an untyped mov (what ArrayView.AlignTo emits) is rejected by the CUDA driver's PTX JIT");
        }
    }

    [Theory]
    [InlineData(Dtype.F32)]
    [InlineData(Dtype.F16)]
    public void Other_options_compile_and_fp32_states_feed_the_products(Dtype stateDtype)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var options = new SsdOptions { InputDtype = Dtype.F16, StateDtype = stateDtype };
        var config = SsdPrefillConfig.Candidates(cuda: true).First(c => c.TensorCores);
        var plan = new SsdKernelPlan(new SsdShape(4, 64, 1, 128), options, config);
        Ptx(backend, plan.ChunkScan).Should().Contain(Mma);
    }

    [Theory]
    [MemberData(nameof(TensorCoreCandidates))]
    public void Fp32_inputs_close_the_tensor_core_kernels_with_tf32_products(string config)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var options = AllOn with { InputDtype = Dtype.F32, StateDtype = Dtype.F32 };
        var plan = new SsdKernelPlan(new SsdShape(8, 64, 2, 128), options, SsdPrefillConfig.Parse(config));
        foreach (var kernel in new[] { plan.ChunkState, plan.Bmm, plan.ChunkScan })
        {
            var where = $"{kernel.DeclaringType!.Name} ({config}, fp32)";
            kernel.DeclaringType.Name.Should().StartWith("SsdTc", "a TC=1 config runs the tensor-core kernels for fp32 inputs too");
            var ptx = Ptx(backend, kernel);
            ptx.Should().Contain(Tf32Mma, $"{where} should issue TF32 products");
            ptx.Should().NotContain(Mma, $"{where} must not round fp32 operands to fp16");
            ptx.Should().NotContain("cvt.rn.f16.f32", $"{where}: no operand is rounded to fp16");
            SharedBytes(ptx).Should().BeLessThanOrEqualTo(48 * 1024, $"{where} static shared memory must fit 48 KB");
            System.Text.RegularExpressions.Regex.IsMatch(ptx, @"ld(\.global)?\.v4\.(b|u)32").Should().BeTrue(
                $"{where}: operands are staged with 16-byte loads where the views allow it");
            System.Text.RegularExpressions.Regex.IsMatch(ptx, @"\bmov\s+%").Should().BeFalse($"{where}: no untyped mov");
        }
    }

    [Fact]
    public void Fp16_inputs_issue_no_tf32_products()
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var config = SsdPrefillConfig.Candidates(cuda: true).First(c => c.TensorCores);
        var plan = new SsdKernelPlan(new SsdShape(4, 64, 1, 128), AllOn with { StateDtype = Dtype.F32 }, config);
        foreach (var kernel in new[] { plan.ChunkState, plan.Bmm, plan.ChunkScan })
            Ptx(backend, kernel).Should().NotContain(Tf32Mma, $"{kernel.DeclaringType!.Name}: fp16 inputs use fp16 products");
    }
}
