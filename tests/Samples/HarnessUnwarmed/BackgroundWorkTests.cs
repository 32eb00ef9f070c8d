using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class BackgroundWorkTests(SampleFixture fixture)
{
    [Fact]
    public async Task Work_that_does_not_flow_from_the_test_is_blamed_on_the_run()
    {
        Task<float[]> work;
        using (ExecutionContext.SuppressFlow())
            work = Task.Run(() => fixture.Target.Scale(32, [1f]));
        Assert.Equal(new float[] { 32f }, await work);
    }
}
