using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Layers;

public sealed class NormAndElementwiseTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly KernelRegistry registry;

    public NormAndElementwiseTests() => registry = new KernelRegistry(device.Accelerator, "norm-test");

    public void Dispose()
    {
        registry.Dispose();
        device.Dispose();
    }

    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
    }

    private static double[] Reference(float[] x, float[]? gate, float[] w, int rows, int width, int groups, float eps)
    {
        var y = new double[rows * width];
        var size = width / groups;
        for (var r = 0; r < rows; r++)
        {
            for (var g = 0; g < groups; g++)
            {
                var v = new double[size];
                for (var i = 0; i < size; i++)
                {
                    var c = (r * width) + (g * size) + i;
                    v[i] = x[c];
                    if (gate is not null) v[i] *= gate[c] / (1 + Math.Exp(-gate[c]));
                }
                var rms = Math.Sqrt((v.Sum(a => a * a) / size) + eps);
                for (var i = 0; i < size; i++)
                    y[(r * width) + (g * size) + i] = w[(g * size) + i] * (v[i] / rms);
            }
        }
        return y;
    }

    [Theory]
    [InlineData(3, 12, 1)]
    [InlineData(2, 40, 1)]
    [InlineData(4, 24, 3)]
    public void Gated_grouped_norm_matches_the_reference(int rows, int width, int groups)
    {
        var x = Random(rows * width, 1);
        var gate = Random(rows * width, 2);
        var w = Random(width, 3);
        var a = device.Accelerator;
        using var xb = a.Allocate1D(x);
        using var gb = a.Allocate1D(gate);
        using var wb = a.Allocate1D(w);
        using var yb = a.Allocate1D<float>(rows * width);
        new RmsNorm(registry).RunGated(xb.View, rows, width, width, gb.View, width, groups, wb.View, 1e-5f, yb.View, width);
        var expected = Reference(x, gate, w, rows, width, groups, 1e-5f);
        var y = yb.GetAsArray1D();
        for (var i = 0; i < y.Length; i++) y[i].Should().BeApproximately((float)expected[i], 1e-4f);
    }

    [Fact]
    public void Plain_norm_matches_the_reference_with_strided_rows()
    {
        const int rows = 3, width = 10, ld = 13;
        var x = Random(rows * ld, 4);
        var w = Random(width, 5);
        var a = device.Accelerator;
        using var xb = a.Allocate1D(x);
        using var wb = a.Allocate1D(w);
        using var yb = a.Allocate1D<float>(rows * width);
        new RmsNorm(registry).Run(xb.View, rows, width, ld, wb.View, 1e-6f, yb.View, width);
        var packed = Enumerable.Range(0, rows).SelectMany(r => x.Skip(r * ld).Take(width)).ToArray();
        var expected = Reference(packed, null, w, rows, width, 1, 1e-6f);
        var y = yb.GetAsArray1D();
        for (var i = 0; i < y.Length; i++) y[i].Should().BeApproximately((float)expected[i], 1e-4f);
    }

    [Fact]
    public void Norm_rejects_groups_that_do_not_divide_the_width()
    {
        using var b = device.Accelerator.Allocate1D<float>(20);
        var act = () => new RmsNorm(registry).RunGated(b.View, 1, 10, 10, b.View, 10, 3, b.View.SubView(0, 10), 1e-5f, b.View, 10);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "groups");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void Gather_copies_the_rows_of_the_ids_and_rejects_ids_outside_the_vocabulary()
    {
        var table = Random(5 * 3, 6);
        int[] ids = [4, 0, 4, 2];
        var a = device.Accelerator;
        using var tb = a.Allocate1D(table);
        using var ib = a.Allocate1D(ids);
        using var ob = a.Allocate1D<float>(ids.Length * 3);
        var ops = new Elementwise(registry);
        ops.Gather(tb.View, 5, 3, ib.View, ids, ob.View);
        ob.GetAsArray1D().Should().Equal(ids.SelectMany(id => table.Skip(id * 3).Take(3)));

        var bad = () => ops.Gather(tb.View, 5, 3, ib.View, [1, 5], ob.View);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*position 1*[0, 5)*");
    }

    [Fact]
    public void Add_sums_elementwise()
    {
        var x = Random(9, 7);
        var y = Random(9, 8);
        var a = device.Accelerator;
        using var xb = a.Allocate1D(x);
        using var yb = a.Allocate1D(y);
        using var sb = a.Allocate1D<float>(9);
        new Elementwise(registry).Add(xb.View, yb.View, sb.View, 9);
        sb.GetAsArray1D().Should().Equal(x.Zip(y, (p, q) => p + q));
    }
}
