using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class WarmPathTests(SampleFixture fixture)
{
    [Fact]
    public void Warm_path_compiles_nothing() =>
        Assert.Equal(new float[] { 1f, 2f, 3f }, fixture.Target.Scale(1, [1f, 2f, 3f]));
}
