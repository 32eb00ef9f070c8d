using WarmGate.Harness;
using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class UnwarmedPathTests(SampleFixture fixture)
{
    [Fact]
    public async Task Unwarmed_path_fails_this_test()
    {
        // The compile happens on a thread-pool thread: the test's scope flows there.
        var result = await Task.Run(() => fixture.Target.Scale(2, [1f, 2f]));
        Assert.Equal(new float[] { 2f, 4f }, result);
    }

    [Fact]
    [WarmGateMode(GateMode.Warn)]
    public void Unwarmed_path_in_warn_mode_passes() =>
        Assert.Equal(new float[] { 4f }, fixture.Target.Scale(4, [1f]));

    [Fact]
    [WarmGateMode(GateMode.Off)]
    public void Unwarmed_path_in_off_mode_passes() =>
        Assert.Equal(new float[] { 8f }, fixture.Target.Scale(8, [1f]));

    // Rows found at run time (one test case, several results): each row is gated on its own.
    public static TheoryData<int> Factors => [1, 16];

    [Theory]
    [MemberData(nameof(Factors), DisableDiscoveryEnumeration = true)]
    public void Theory_rows_are_gated_one_by_one(int factor) =>
        Assert.Equal(new float[] { factor }, fixture.Target.Scale(factor, [1f]));
}
