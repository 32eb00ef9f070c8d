using WarmGate.Harness;
using WarmGate.Kernels.Numerics;
using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class ThirdPartyTests(Mamba2Fixture model)
{
    [ThirdPartyFact]
    public void Third_party_test_case_on_a_warm_path_passes() =>
        Assert.Equal(3, model.Runtime.Generate([[1, 2]], 3)[0].Length);

    [ThirdPartyFact]
    public void Third_party_test_case_on_an_unwarmed_path_fails() =>
        Assert.InRange(SsdOnTheModel.RelativeError(model.Runtime, Dtype.F16, Dtype.F32, gateWithZ: true), 0, 2e-2);
}
