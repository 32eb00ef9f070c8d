using WarmGate.Samples;
using Xunit;

namespace HarnessClean;

public sealed class WarmTests(SampleFixture fixture)
{
    [Fact]
    public void Warm_path_compiles_nothing() =>
        Assert.Equal(new float[] { 5f, 6f }, fixture.Target.Scale(1, [5f, 6f]));

    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Any_length_reuses_the_warm_kernel(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var result = await Task.Run(() => fixture.Target.Scale(1, data));
        Assert.Equal(data, result);
    }
}

public sealed class TestsWithoutTheFixture
{
    [Fact]
    public void Plain_tests_run_under_the_gate_too() => Assert.Equal(4, 2 + 2);
}
