using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class ThirdPartyTests(SampleFixture fixture)
{
    [ThirdPartyFact]
    public void Third_party_test_case_on_a_warm_path_passes() =>
        Assert.Equal(new float[] { 3f }, fixture.Target.Scale(1, [3f]));

    [ThirdPartyFact]
    public void Third_party_test_case_on_an_unwarmed_path_fails() =>
        Assert.Equal(new float[] { 128f }, fixture.Target.Scale(128, [1f]));
}
