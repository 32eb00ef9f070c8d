using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Layers;

public sealed class LinearTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly KernelRegistry registry;
    private readonly Autotuner tuner;
    private readonly List<KernelEvent> events = [];
    private readonly IDisposable subscription;

    public LinearTests()
    {
        registry = new KernelRegistry(device.Accelerator, "linear-test-" + Guid.NewGuid().ToString("N"));
        tuner = new Autotuner(registry, options: new TunerOptions(0, 1, TimeSpan.FromMinutes(1)));
        subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == registry.Name)
                lock (events) events.Add(e);
        });
    }

    public void Dispose()
    {
        subscription.Dispose();
        registry.Dispose();
        device.Dispose();
    }

    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
    }

    private static float[] Expected(float[] x, int rows, int k, int lda, float[] w, int n, float[]? bias, int ldc)
    {
        var y = new float[((rows - 1) * ldc) + n];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = bias?[j] ?? 0;
                for (var i = 0; i < k; i++) sum += (double)x[(r * lda) + i] * w[(j * k) + i];
                y[(r * ldc) + j] = (float)sum;
            }
        }
        return y;
    }

    private float[] Run(float[] x, int rows, int k, int lda, float[] w, int n, float[]? bias, int ldc, LinearConfig? config)
    {
        var accelerator = device.Accelerator;
        using var xb = accelerator.Allocate1D(x);
        using var wb = accelerator.Allocate1D(w);
        using var bb = accelerator.Allocate1D(bias ?? [0f]);
        using var yb = accelerator.Allocate1D<float>(((rows - 1) * ldc) + n);
        yb.MemSetToZero();
        new Linear(tuner).Run(xb.View, rows, k, lda, wb.View, n, bias is null ? ArrayView<float>.Empty : bb.View, yb.View, ldc, config);
        accelerator.Synchronize();
        return yb.GetAsArray1D();
    }

    public static TheoryData<int, int, int, bool> Shapes => new()
    {
        { 5, 13, 11, true },
        { 1, 8, 8, false },
        { 17, 33, 20, true },
        { 3, 64, 2, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_cpu_configuration_matches_the_reference(int rows, int k, int n, bool withBias)
    {
        var x = Random(rows * k, 1);
        var w = Random(n * k, 2);
        var bias = withBias ? Random(n, 3) : null;
        var expected = Expected(x, rows, k, k, w, n, bias, n);
        foreach (var config in LinearConfig.CpuCandidates)
            Run(x, rows, k, k, w, n, bias, n, config).Should().BeEquivalentTo(expected, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-4f)).WhenTypeIs<float>(), config.ToString());
    }

    [Fact]
    public void Strided_rows_read_and_write_only_their_slice()
    {
        const int rows = 4, k = 6, n = 5, lda = 9, ldc = 8;
        var x = Random(((rows - 1) * lda) + k, 4);
        var w = Random(n * k, 5);
        var y = Run(x, rows, k, lda, w, n, null, ldc, LinearConfig.CpuCandidates[0]);
        var expected = Expected(x, rows, k, lda, w, n, null, ldc);
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < ldc && (r * ldc) + j < y.Length; j++)
            {
                if (j < n) y[(r * ldc) + j].Should().BeApproximately(expected[(r * ldc) + j], 1e-4f);
                else y[(r * ldc) + j].Should().Be(0f, "the gap between rows is not written");
            }
        }
    }

    [Fact]
    public void Without_a_config_the_shape_is_tuned_once_and_later_calls_compile_nothing()
    {
        var x = Random(3 * 8, 6);
        var w = Random(4 * 8, 7);
        Run(x, 3, 8, 8, w, 4, null, 4, null);
        var afterFirst = events.Count;
        events.Should().ContainSingle(e => e.Kind == KernelEventKind.TuneStarted).Which.Key.Should().Be("K=8,N=4,bias=0");
        events.Count(e => e.Kind == KernelEventKind.Compiled).Should().Be(LinearConfig.CpuCandidates.Count);

        Run(Random(7 * 8, 8), 7, 8, 8, w, 4, null, 4, null);
        events.Should().HaveCount(afterFirst, "a different row count is the same key");
    }

    [Fact]
    public void Bad_shapes_are_rejected_before_any_launch()
    {
        var accelerator = device.Accelerator;
        using var x = accelerator.Allocate1D<float>(10);
        using var w = accelerator.Allocate1D<float>(6);
        using var y = accelerator.Allocate1D<float>(10);
        var linear = new Linear(tuner);
        var wrongWeight = () => linear.Run(x.View, 2, 4, 4, w.View, 2, ArrayView<float>.Empty, y.View, 2);
        wrongWeight.Should().Throw<ArgumentException>().Where(e => e.ParamName == "weight").WithMessage("*2 x 4 = 8*6*");
        var smallInput = () => linear.Run(x.View, 4, 3, 3, w.View, 2, ArrayView<float>.Empty, y.View, 2);
        smallInput.Should().Throw<ArgumentException>().Where(e => e.ParamName == "input");
        var badStride = () => linear.Run(x.View, 2, 3, 2, w.View, 2, ArrayView<float>.Empty, y.View, 2);
        badStride.Should().Throw<ArgumentException>().Where(e => e.ParamName == "inputStride");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void Configurations_round_trip_through_text()
    {
        foreach (var config in LinearConfig.CudaCandidates.Concat(LinearConfig.CpuCandidates))
            LinearConfig.Parse(config.ToString()).Should().Be(config);
        var act = () => LinearConfig.Parse("BM=64,BN=x");
        act.Should().Throw<FormatException>().WithMessage("*BM=<positive int>*");
    }
}
