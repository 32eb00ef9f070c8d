using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The shared-memory tiled <c>ssd.bmm</c> against C·Bᵀ computed directly on the host: state sizes
/// below, at and past a multiple of the 32-column staging step, chunks shorter than Q, tiles wider
/// than Q (threads outside the tile still stage and wait at the barriers), and groups smaller and
/// larger than a warp.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdBmmKernelTests(SsdCpuFixture fixture)
{
    /// <summary>Two sequences of 21 and 7 tokens: with Q = 8 the chunks are 8, 8, 5 and 7 long; with Q = 16, 16, 5 and 7.</summary>
    private static readonly int[] Lengths = [21, 7];

    public static TheoryData<int, int, int, int, bool> Cases => new()
    {
        // N, Q, BI, BJ, fp16 inputs
        { 40, 16, 8, 8, false },
        { 40, 8, 4, 16, false },
        { 40, 8, 16, 4, false },
        { 5, 16, 8, 8, false },
        { 64, 8, 8, 8, false },
        { 40, 16, 4, 4, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CB_matches_C_times_B_transposed_computed_on_the_host(int stateSize, int q, int bi, int bj, bool f16)
    {
        var shape = new SsdShape(4, 4, 2, stateSize);
        var options = f16 ? new SsdOptions { InputDtype = Dtype.F16 } : new SsdOptions();
        var config = new SsdPrefillConfig(q, 4, 4, 8, 16, bi, bj, 4, 4);
        var inputs = SsdHostInputs.Random(shape, options, Lengths, seed: stateSize + q + bi, stridePadding: 3);

        var stages = fixture.Prefill.Run(inputs, shape, options, config, captureStages: true).Stages!;

        stages.Table.Lengths.Should().Contain(l => l < q, "some chunk must be shorter than Q");
        var expected = HostCB(inputs, shape, stages.Table);
        SsdAssert.Close(stages.CB, expected, 1e-6, $"CB (N={stateSize}, Q={q}, BI={bi}, BJ={bj})");
        for (var e = 0; e < expected.Length; e++)
        {
            if (expected[e] == 0)
                stages.CB[e].Should().Be(0, $"CB[{e}] lies past its chunk's end (N={stateSize}, Q={q}, BI={bi}, BJ={bj})");
        }
    }

    public static TheoryData<int, int, int> PtxTiles => new()
    {
        // Q, BI, BJ: the CUDA candidates' SIMT tiles, 8 × 8 tiles, and tiles wider than Q.
        { 64, 16, 16 },
        { 256, 16, 16 },
        { 128, 8, 8 },
        { 16, 32, 32 },
        { 8, 4, 64 },
    };

    [Theory]
    [MemberData(nameof(PtxTiles))]
    public void Compiles_to_ptx_with_static_shared_rows_sized_by_the_tile(int q, int bi, int bj)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
        var config = new SsdPrefillConfig(q, 32, 16, 16, 256, bi, bj, 16, 16);
        foreach (var options in new[] { new SsdOptions(), new SsdOptions { InputDtype = Dtype.F16 } })
        {
            var plan = new SsdKernelPlan(new SsdShape(8, 64, 2, 128), options, config);
            var ptx = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(plan.Bmm), default))
                .PTXAssembly;
            ptx.Should().Contain(".entry", "ssd.bmm should compile to a PTX entry point");
            ptx.Should().Contain($".b8 __shared_alloca0[{bi * SsdBmmKernel.Ld * 4}]", "the C rows are BI padded rows of floats");
            ptx.Should().Contain($".b8 __shared_alloca1[{bj * SsdBmmKernel.Ld * 4}]", "the B rows are BJ padded rows of floats");
            ptx.Should().Contain("bar.sync", "the staging steps are separated by group barriers");
        }
    }

    private static double[] HostCB(SsdHostInputs inputs, SsdShape shape, SsdChunkTable table)
    {
        int q = table.ChunkSize, n = shape.StateSize;
        var cb = new double[table.Count * shape.Groups * q * q];
        for (var c = 0; c < table.Count; c++)
        {
            for (var g = 0; g < shape.Groups; g++)
            {
                for (var i = 0; i < table.Lengths[c]; i++)
                {
                    for (var j = 0; j < table.Lengths[c]; j++)
                    {
                        var sum = 0.0;
                        for (var k = 0; k < n; k++)
                        {
                            sum += (double)inputs.C[((table.Starts[c] + i) * inputs.CStride) + (g * n) + k]
                                * inputs.B[((table.Starts[c] + j) * inputs.BStride) + (g * n) + k];
                        }
                        cb[((((c * shape.Groups) + g) * q) + i) * q + j] = sum;
                    }
                }
            }
        }
        return cb;
    }
}
