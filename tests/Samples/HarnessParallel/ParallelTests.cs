using WarmGate.Samples;
using Xunit;

namespace HarnessParallel;

[Collection("Offender")]
public sealed class OffenderTests(SampleFixture fixture)
{
    [Fact]
    public async Task Compiles_while_the_other_collection_runs()
    {
        Rendezvous.OffenderStarted.SetResult();
        await Rendezvous.Wait(Rendezvous.InnocentStarted, "the innocent test to start");
        var result = await Task.Run(() => fixture.Target.Scale(64, [1f]));
        Rendezvous.OffenderCompiled.SetResult();
        Assert.Equal(new float[] { 64f }, result);
    }
}

[Collection("Innocent")]
public sealed class InnocentTests(SampleFixture fixture)
{
    [Fact]
    public async Task Runs_warm_paths_while_the_other_collection_compiles()
    {
        Rendezvous.InnocentStarted.SetResult();
        await Rendezvous.Wait(Rendezvous.OffenderStarted, "the offending test to start");
        Assert.Equal(new float[] { 3f }, await Task.Run(() => fixture.Target.Scale(1, [3f])));
        await Rendezvous.Wait(Rendezvous.OffenderCompiled, "the offending test to compile");
        await Task.Yield();
        Assert.Equal(new float[] { 7f }, fixture.Target.Scale(1, [7f]));
    }
}
