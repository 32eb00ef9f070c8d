using WarmGate.Harness;
using WarmGate.Kernels.Numerics;
using WarmGate.Samples;
using Xunit;

namespace HarnessParallel;

// The two tests run at the same time, in two collections; the offender compiles while the
// innocent test is running. They take turns on the device (the CPU accelerator runs one launch
// at a time, and the offender's SSD kernels are not the runtime's own serialised calls).
[Collection("Offender")]
public sealed class OffenderTests(Mamba2Fixture model)
{
    [Fact]
    public async Task Compiles_while_the_other_collection_runs()
    {
        Rendezvous.OffenderStarted.SetResult();
        await Rendezvous.Wait(Rendezvous.InnocentServed, "the innocent test to serve its first request");
        var error = await Task.Run(() => SsdOnTheModel.RelativeError(model.Runtime, Dtype.F16, Dtype.F32));
        Rendezvous.OffenderCompiled.SetResult();
        Assert.InRange(error, 0, 2e-2);
    }
}

[Collection("Innocent")]
public sealed class InnocentTests(Mamba2Fixture model)
{
    [Fact]
    public async Task Runs_warm_paths_while_the_other_collection_compiles()
    {
        await Rendezvous.Wait(Rendezvous.OffenderStarted, "the offending test to start");
        Assert.Equal(2, (await Task.Run(() => model.Runtime.Generate([[1, 2, 3]], 2)))[0].Length);
        Rendezvous.InnocentServed.SetResult();
        await Rendezvous.Wait(Rendezvous.OffenderCompiled, "the offending test to compile");
        await Task.Yield();
        Assert.Equal(2, model.Runtime.Generate([[4, 5]], 2)[0].Length);
    }
}
