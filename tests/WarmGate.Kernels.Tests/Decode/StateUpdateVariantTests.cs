using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>
/// The VP (vectors per pass) and IT (tiles per group) variants of the state update on the CPU
/// accelerator (4-lane warps), each against the float64 reference: every path through a row
/// (vectors, element by element, run-time N), shuffle and shared-memory reductions, padding rows
/// between and at the ends of a group's tiles, ragged last tiles, tiles of one group spanning
/// sequences and B/C groups, and a last group with fewer than IT tiles.
/// </summary>
public sealed class StateUpdateVariantTests(DecodeDevice device) : IClassFixture<DecodeDevice>
{
    private readonly SelectiveStateUpdate op = new(device.Registry);

    private StateUpdateCase.Outcome Run(
        StateUpdateShape shape, string config, int[] slots, int cache, StateUpdateOptions? options = null, int pad = 0) =>
        new StateUpdateCase(shape, options ?? new StateUpdateOptions(Z: true, D: DSkip.PerChannel), slots, cache)
        {
            Config = StateUpdateConfig.Parse(config),
            Pad = pad,
        }.Run(op);

    [Theory]
    [InlineData(64, "GS=32,TP=16,VP=8")]    // L = 2, eight vectors a lane in one pass
    [InlineData(128, "GS=32,TP=16,VP=8")]   // sixteen vectors a lane: two passes of eight
    [InlineData(64, "GS=32,TP=16,VP=2")]    // four passes of two
    [InlineData(32, "GS=64,TP=16,VP=1")]    // L = 4, one vector per pass
    [InlineData(128, "GS=64,TP=4,VP=8")]    // L = 16 > warp: shared-memory reduction
    public void Vectors_per_pass_match_the_reference(int n, string config) =>
        Run(new StateUpdateShape(4, 8, 2, n), config, [2, -1, 0], 3).ShouldMatchReference();

    [Theory]
    [InlineData(32, "GS=32,TP=8,VP=8,IT=2")]     // L = 4: every lane's vectors in one pass, next tile prefetched
    [InlineData(64, "GS=32,TP=8,VP=2,IT=4")]     // two passes per tile; the prefetch is the last pass
    [InlineData(32, "GS=64,TP=16,VP=4,IT=8")]    // a group spans sequences and padding rows
    [InlineData(64, "GS=64,TP=4,VP=4,IT=2")]     // L = 16 > warp: shared-memory reduction inside the tile loop
    [InlineData(16, "GS=64,TP=4,IT=4")]          // 4·L does not divide N: element by element, staged B and C
    [InlineData(12, "GS=32,TP=8,IT=4")]          // run-time N
    [InlineData(40, "GS=32,TP=2,IT=2")]          // run-time N, L = 16 > warp
    public void Tiles_per_group_match_the_reference(int n, string config) =>
        // 6 heads in 3 B/C groups, P = 8: a group's tiles change head and B/C group; padding first, between and last.
        Run(new StateUpdateShape(6, 8, 3, n), config, [-1, 4, 1, -1, 0, 3, -1], 5).ShouldMatchReference();

    [Theory]
    [InlineData("GS=32,TP=8,VP=8,IT=4")]
    [InlineData("GS=64,TP=16,VP=4,IT=2")]
    public void Tiles_per_group_with_a_ragged_last_tile_store_nothing_past_P(string config) =>
        // P = 6 with TP = 8 or 16: one ragged tile per head, whose rows past P must write nothing.
        Run(new StateUpdateShape(5, 6, 1, 32), config, [1, 0, -1], 2).ShouldMatchReference();

    [Theory]
    [InlineData(Dtype.F16, Dtype.F16)]
    [InlineData(Dtype.F32, Dtype.F16)]
    [InlineData(Dtype.F16, Dtype.F32)]
    public void Tiles_per_group_in_other_dtypes_and_strided_rows_match_the_reference(Dtype input, Dtype state) =>
        Run(new StateUpdateShape(4, 8, 2, 32), "GS=32,TP=8,VP=8,IT=4", [2, -1, 0, 1], 3,
            new StateUpdateOptions(input, state, DSkip.PerHead, Z: true), pad: 3).ShouldMatchReference();

    [Fact]
    public void A_group_count_that_leaves_a_partial_last_group_matches_the_reference() =>
        // 3 sequences × 3 heads × 1 tile = 9 tiles with IT = 4: the last group has one tile.
        Run(new StateUpdateShape(3, 8, 1, 32), "GS=32,TP=8,VP=8,IT=4", [0, 2, 1], 3).ShouldMatchReference();

    [Fact]
    public void A_group_whose_first_tiles_are_padding_still_prefetches_the_live_ones() =>
        // 2 heads × 1 tile with IT = 4: group 0 holds two padding tiles, then two live ones.
        Run(new StateUpdateShape(2, 8, 1, 32), "GS=32,TP=8,VP=8,IT=4", [-1, 1, -1, 0], 2).ShouldMatchReference();

    [Theory]
    [InlineData(32, "GS=32,TP=8,VP=8,CS=1")]
    [InlineData(32, "GS=32,TP=8,VP=8,IT=4,CS=1")]
    [InlineData(16, "GS=64,TP=4,CS=1")]     // element by element: the hints do not apply
    public void Streaming_hints_fall_back_to_plain_accesses_on_the_cpu_and_match_the_reference(int n, string config)
    {
        Run(new StateUpdateShape(6, 8, 3, n), config, [-1, 4, 1, -1, 0, 3, -1], 5).ShouldMatchReference();
        // An fp16 state ignores CS: same kernel type arguments as without it.
        Run(new StateUpdateShape(4, 8, 2, n), config, [2, -1, 0], 3, new StateUpdateOptions(Dtype.F16, Dtype.F16, Z: true))
            .ShouldMatchReference();
    }

    [Fact]
    public void The_tile_kernel_is_its_own_compilation_per_IT_and_VP()
    {
        using var registry = new KernelRegistry(device.Device.Accelerator, "decode-variants-" + Guid.NewGuid().ToString("N"));
        var ssu = new SelectiveStateUpdate(registry);
        var shape = new StateUpdateShape(2, 8, 1, 32);
        var options = new StateUpdateOptions();
        ssu.Prepare(shape, options, StateUpdateConfig.Parse("GS=32,TP=8"));
        ssu.Prepare(shape, options, StateUpdateConfig.Parse("GS=32,TP=8,VP=8"));
        ssu.Prepare(shape, options, StateUpdateConfig.Parse("GS=32,TP=8,VP=8,IT=2"));
        ssu.Prepare(shape, options, StateUpdateConfig.Parse("GS=32,TP=8,VP=8,IT=2"));
        registry.Compilations.Should().Be(3);
        SelectiveStateUpdate.Methods.Get(options, StateUpdateConfig.Parse("GS=32,TP=8,IT=2"), 32).DeclaringType
            .Should().Be(typeof(StateUpdateStreamKernel));
        SelectiveStateUpdate.Methods.Get(options, StateUpdateConfig.Parse("GS=32,TP=8,VP=8"), 32).DeclaringType
            .Should().Be(typeof(StateUpdateKernel));
    }
}
