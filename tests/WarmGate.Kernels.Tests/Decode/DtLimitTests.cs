using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

public sealed class DtLimitTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);

    public void Dispose() => device.Dispose();

    [Fact]
    public void Dt_limits_clamp_the_processed_dt_like_the_reference()
    {
        var shape = new StateUpdateShape(2, 4, 1, 4);
        var options = new StateUpdateOptions(DtMin: 0.2f, DtMax: 0.3f);
        var rng = new Random(5);
        float[] R(int n, double scale = 1) => Enumerable.Range(0, n).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * scale)).ToArray();
        var arrays = new StateUpdateArrays<float, float>
        {
            State = R(shape.SlotSize), X = R(8), Dt = [-3f, 4f], A = [-1f, -2f], B = R(4), C = R(4), Y = new float[8],
            D = [1f, 0.5f], DtBias = [0.1f, -0.1f],
        };
        var original = (float[])arrays.State.Clone();
        var unclamped = arrays with { State = (float[])arrays.State.Clone(), Y = new float[8] };
        using var registry = new KernelRegistry(device.Accelerator, "dt-limit-test");
        var op = new SelectiveStateUpdate(registry);
        op.Run(shape, options, arrays, [0]);
        op.Run(shape, options with { DtMin = float.NegativeInfinity, DtMax = float.PositiveInfinity }, unclamped, [0]);

        arrays.Y.Should().NotEqual(unclamped.Y, "both heads' dt fall outside [0.2, 0.3]");
        static double[] D(float[] v) => v.Select(x => (double)x).ToArray();
        var inputs = new DecodeInputs
        {
            Rows = 1, X = D(arrays.X), Dt = D(arrays.Dt), A = D(arrays.A), B = D(arrays.B), C = D(arrays.C),
            D = D(arrays.D!), DtBias = D(arrays.DtBias!),
        };
        var state = D(original);
        var y = new double[8];
        DecodeReference.StateUpdate(shape, options, inputs, [0], state, y);
        for (var i = 0; i < y.Length; i++) arrays.Y[i].Should().BeApproximately((float)y[i], 1e-5f);
        registry.Compilations.Should().Be(1, "the limits are run-time values, not a new specialization");
    }
}
