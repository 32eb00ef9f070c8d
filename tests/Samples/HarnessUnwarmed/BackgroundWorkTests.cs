using WarmGate.Harness;
using WarmGate.Kernels.Numerics;
using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class BackgroundWorkTests(Mamba2Fixture model)
{
    [Fact]
    public async Task Work_that_does_not_flow_from_the_test_is_blamed_on_the_run()
    {
        Task<double> work;
        using (ExecutionContext.SuppressFlow())
            work = Task.Run(() => SsdOnTheModel.RelativeError(model.Runtime, Dtype.F16, Dtype.F16, gateWithZ: true));
        Assert.InRange(await work, 0, 2e-2);
    }
}
