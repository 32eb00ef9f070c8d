using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Tests.Decode;

public sealed class StateUpdateTests(DecodeDevice device) : IClassFixture<DecodeDevice>
{
    private readonly SelectiveStateUpdate op = new(device.Registry);

    private static StateUpdateCase Case(int heads, int dim, int groups, int n, StateUpdateOptions options, int[]? slots = null, int cache = 4) =>
        new(new StateUpdateShape(heads, dim, groups, n), options, slots ?? [0, 1, 2], cache);

    [Fact]
    public void One_group_fp32_matches_the_reference()
    {
        Case(4, 8, 1, 16, new StateUpdateOptions()).Run(op).ShouldMatchReference();
    }
}
