using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The warp MMA block alone: two warps each compute a 32 × 32 × 32 fp16 product (or a 32 × 32 × 16
/// TF32 one) from shared memory through <see cref="MmaWarpTile"/> and store it through a sink. On the CPU accelerator this checks
/// the emulation (each lane owns rows g, g + 8 and columns 2t, 2t + 1); on CUDA it checks the
/// fragment packing of the real instruction (the only GPU-only part of the tensor-core kernels).
/// </summary>
public sealed class SsdTcWarpMmaTests
{
    private const int Size = MmaWarpTile.Size;
    private const int Warps = 2;

    public struct MatrixSink : IMmaSink
    {
        public ArrayView<float> Out;
        public int Row0;

        public readonly void Store(int row, int column, float value) => Out[((Row0 + row) * Size) + column] = value;

        public readonly void StorePair(int row, int column, float first, float second)
        {
            Store(row, column, first);
            Store(row, column + 1, second);
        }
    }

    /// <summary>
    /// a: (Warps·32) × K row-major (m, k); b: K × 32 row-major (k, n); c: (Warps·32) × 32; K = 32 as
    /// fp16 pairs, or K = 16 as TF32 values (<typeparamref name="TTf32"/>): 16 words per row either way.
    /// </summary>
    internal static void Kernel<TTf32>(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
        where TTf32 : struct, IFlag
    {
        const int Ld = 20;
        const int Words = 16;
        var tf32 = default(TTf32).Value;
        var v = SsdTcLayout.ValuesPerWord(tf32);
        var depth = v * Words;
        var aTile = SharedMemory.Allocate<uint>(Warps * Size * Ld);
        var bTile = SharedMemory.Allocate<uint>(Size * Ld);
        for (var e = Group.IdxX; e < Warps * Size * Words; e += Warps * WarpMma.WarpSize)
        {
            var row = e / Words;
            var k = v * (e % Words);
            var a0 = a[(row * depth) + k];
            aTile[(row * Ld) + (e % Words)] = SsdTcLayout.Word(tf32, a0, tf32 ? 0f : a[(row * depth) + k + 1]);
            if (row < Size)
                bTile[(row * Ld) + (e % Words)] = SsdTcLayout.Word(tf32, b[(k * Size) + row], tf32 ? 0f : b[((k + 1) * Size) + row]);
        }
        Group.Barrier();
        var warp = WarpMma.Warp;
        var lane = WarpMma.Lane;
        var tile = MmaWarpTile.Create();
        tile.Step(aTile, warp * Size * Ld, Ld, bTile, 0, Ld, lane, tf32);
        tile.Step(aTile, (warp * Size * Ld) + 8, Ld, bTile, 8, Ld, lane, tf32);
        var sink = new MatrixSink { Out = c, Row0 = warp * Size };
        tile.Store(ref sink, lane);
    }

    internal static void CheckProduct(Accelerator accelerator, KernelRegistry registry) => CheckProduct(accelerator, registry, tf32: false);

    internal static void CheckProduct(Accelerator accelerator, KernelRegistry registry, bool tf32)
    {
        var depth = SsdTcLayout.ValuesPerWord(tf32) * 16;
        var format = tf32 ? "tf32" : "fp16";
        var kernel = typeof(SsdTcWarpMmaTests).GetMethod(nameof(Kernel), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(TypeConstants.Flag(tf32));
        var random = new Random(7);
        // Multiples of 1/64 in [-2, 2] are exact in fp16, and every partial sum of 32 products is exact
        // in fp32, so any backend must reproduce the float64 product exactly (no rounding-mode question).
        // (TF32 keeps 10 mantissa bits, so they are exact there too.)
        var a = Enumerable.Range(0, Warps * Size * depth).Select(_ => random.Next(-128, 129) / 64f).ToArray();
        var b = Enumerable.Range(0, depth * Size).Select(_ => random.Next(-128, 129) / 64f).ToArray();
        var launch = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "test.warp_mma", kernel, $"32x32x{depth}", format);
        using var da = accelerator.Allocate1D(a);
        using var db = accelerator.Allocate1D(b);
        using var dc = accelerator.Allocate1D(Enumerable.Repeat(float.NaN, Warps * Size * Size).ToArray());
        launch(accelerator.DefaultStream, new KernelConfig(1, Warps * WarpMma.WarpSize), da.View, db.View, dc.View);
        accelerator.Synchronize();
        var c = dc.GetAsArray1D();

        var expected = new double[c.Length];
        for (var m = 0; m < Warps * Size; m++)
        {
            for (var n = 0; n < Size; n++)
            {
                double sum = 0;
                for (var k = 0; k < depth; k++)
                    sum += (double)a[(m * depth) + k] * b[(k * Size) + n];
                expected[(m * Size) + n] = sum;
            }
        }
        c.Should().NotContain(float.NaN, "every element of both warp tiles is stored exactly by its owning lane");
        SsdAssert.Close(c, expected, 1e-7, $"32 × 32 × {depth} {format} product per warp (exact inputs)");
    }

    [Fact]
    public void Cpu_emulation_computes_each_lanes_elements()
    {
        using var device = Devices.DeviceSelector.Open(Devices.DeviceKind.Cpu);
        using var registry = new KernelRegistry(device.Accelerator, "warp-mma-cpu");
        CheckProduct(device.Accelerator, registry);
    }

    [CudaFact]
    public void Tensor_core_fragments_match_the_reference_on_cuda()
    {
        using var device = Devices.DeviceSelector.Open(Devices.DeviceKind.Cuda);
        using var registry = new KernelRegistry(device.Accelerator, "warp-mma-cuda");
        CheckProduct(device.Accelerator, registry);
    }

    [Fact]
    public void Cpu_emulation_computes_each_lanes_tf32_elements()
    {
        using var device = Devices.DeviceSelector.Open(Devices.DeviceKind.Cpu);
        using var registry = new KernelRegistry(device.Accelerator, "warp-mma-tf32-cpu");
        CheckProduct(device.Accelerator, registry, tf32: true);
    }

    [CudaFact]
    public void Tf32_tensor_core_fragments_match_the_reference_on_cuda()
    {
        using var device = Devices.DeviceSelector.Open(Devices.DeviceKind.Cuda);
        using var registry = new KernelRegistry(device.Accelerator, "warp-mma-tf32-cuda");
        CheckProduct(device.Accelerator, registry, tf32: true);
    }

    [Theory]
    [InlineData(1f, 0x3F800000u)]
    [InlineData(1.00048828125f, 0x3F802000u)] // 1 + 2^-11: exactly half an ulp of TF32, rounds away from zero
    [InlineData(-1.00048828125f, 0xBF802000u)]
    [InlineData(1.000244140625f, 0x3F800000u)] // 1 + 2^-12: below half an ulp, rounds down
    [InlineData(float.PositiveInfinity, 0x7F800000u)]
    public void Tf32_rounds_to_nearest_ties_away(float value, uint bits) =>
        WarpMma.Tf32(value).Should().Be(bits);

    [Fact]
    public void Tf32_keeps_nans()
    {
        var nan = BitConverter.Int32BitsToSingle(0x7F800001);
        // Rounding a NaN must not make it infinite (0x7F800001 + 0x1000, masked, would be +inf). The
        // hardware's cvt.rna may return a canonical NaN instead; any NaN is right.
        float.IsNaN(BitConverter.UInt32BitsToSingle(WarpMma.Tf32(nan))).Should().BeTrue("a NaN whose payload sits in the dropped bits stays NaN");
    }
}
