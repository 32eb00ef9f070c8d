using WarmGate.Harness;
using Xunit;

namespace HarnessUnwarmed;

public sealed class WarmPathTests(Mamba2Fixture model)
{
    [Fact]
    public void Warm_path_compiles_nothing()
    {
        using var cache = model.Runtime.CreateCache(1);
        var logits = model.Runtime.Prefill([[5, 6, 7]], cache);
        Assert.All(logits[0], v => Assert.True(float.IsFinite(v)));
    }
}
