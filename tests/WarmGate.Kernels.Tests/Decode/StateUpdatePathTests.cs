using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>
/// The kernel's three ways through a row, on the CPU accelerator (4-lane warps): N of 16..256 as a
/// constant with 4-element vectors (L = GS/TP lanes, 4·L dividing N, aligned state), the same N
/// element by element (4·L not dividing N, or a state view off the vector alignment), and N read
/// at run time; with the lanes reduced by warp shuffles (L ≤ 4) or through shared memory.
/// </summary>
public sealed class StateUpdatePathTests(DecodeDevice device) : IClassFixture<DecodeDevice>
{
    private readonly SelectiveStateUpdate op = new(device.Registry);

    private StateUpdateCase.Outcome Run(int heads, int dim, int n, string config, StateUpdateOptions? options = null, int[]? slots = null) =>
        new StateUpdateCase(new StateUpdateShape(heads, dim, 1, n), options ?? new StateUpdateOptions(Z: true, D: DSkip.PerChannel),
            slots ?? [2, -1, 0], 3)
        {
            Config = StateUpdateConfig.Parse(config),
        }.Run(op);

    [Theory]
    [InlineData(16, "GS=64,TP=16")]   // L = 4: one vector per lane, shuffle reduction
    [InlineData(32, "GS=64,TP=16")]   // two vectors per lane
    [InlineData(32, "GS=32,TP=16")]   // L = 2: four vectors per lane, one pass
    [InlineData(16, "GS=32,TP=16")]   // L = 2: two vectors per lane
    [InlineData(64, "GS=32,TP=16")]   // eight vectors per lane: two passes
    [InlineData(256, "GS=64,TP=16")]  // sixteen vectors per lane: four passes
    [InlineData(128, "GS=64,TP=4")]   // L = 16 > warp: vectors, shared-memory reduction
    public void Vector_rows_match_the_reference(int n, string config) => Run(4, 8, n, config).ShouldMatchReference();

    [Fact]
    public void Vector_rows_of_a_ragged_last_tile_store_nothing_past_P() =>
        // P = 6 with TP = 16: rows 6..15 of the tile read row 5 and must write nothing.
        Run(3, 6, 32, "GS=64,TP=16").ShouldMatchReference();

    [Theory]
    [InlineData(Dtype.F32, Dtype.F16)]
    [InlineData(Dtype.F16, Dtype.F16)]
    [InlineData(Dtype.F16, Dtype.F32)]
    public void Vector_rows_in_other_dtypes_match_the_reference(Dtype input, Dtype state) =>
        Run(4, 8, 32, "GS=64,TP=16", new StateUpdateOptions(input, state, DSkip.PerHead, Z: true)).ShouldMatchReference();

    [Theory]
    [InlineData(16, "GS=64,TP=4")]    // 4·L = 64 does not divide N = 16: element by element, shared-memory reduction
    [InlineData(32, "GS=64,TP=2")]    // L = 32 > N: idle lanes, element by element
    [InlineData(12, "GS=64,TP=16")]   // N not a constant: read at run time
    [InlineData(40, "GS=32,TP=4")]    // run-time N, L = 8 > warp
    public void Other_paths_match_the_reference(int n, string config) => Run(4, 8, n, config).ShouldMatchReference();

    [Fact]
    public void Fresh_buffers_take_the_vector_path_and_views_off_the_alignment_do_not()
    {
        var accelerator = device.Device.Accelerator;
        using var floats = accelerator.Allocate1D<float>(64);
        using var halves = accelerator.Allocate1D<ILGPU.Half>(64);
        SelectiveStateUpdate.StartsAligned(floats.View.AsContiguous(), Dtype.F32).Should().BeTrue();
        SelectiveStateUpdate.StartsAligned(floats.View.AsContiguous().SubView(4, 32), Dtype.F32).Should().BeTrue();
        SelectiveStateUpdate.StartsAligned(floats.View.AsContiguous().SubView(2, 32), Dtype.F32).Should().BeFalse();
        SelectiveStateUpdate.StartsAligned(halves.View.AsContiguous().SubView(4, 32), Dtype.F16).Should().BeTrue();
        SelectiveStateUpdate.StartsAligned(halves.View.AsContiguous().SubView(2, 32), Dtype.F16).Should().BeFalse();
        SelectiveStateUpdate.StartsAligned(default(ArrayView<float>), Dtype.F32).Should().BeFalse();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_state_view_off_the_vector_alignment_is_updated_element_by_element(int offset)
    {
        // The same kernel (constant N = 32, L = 4) on a cache view that starts `offset` floats into
        // its buffer: the kernel must not take the vector path, and must touch nothing outside the view.
        var shape = new StateUpdateShape(2, 4, 1, 32);
        var options = new StateUpdateOptions(Z: true);
        var config = new StateUpdateConfig(64, 16);
        int[] slotIndices = [1, -1, 0];
        var rng = new Random(3);
        int batch = slotIndices.Length, cache = 2;
        var x = DecodeTestData.Uniform(rng, batch * shape.Channels);
        var z = DecodeTestData.Uniform(rng, batch * shape.Channels, -3, 3);
        var dt = DecodeTestData.Uniform(rng, batch * shape.Heads, -3, 1);
        var b = DecodeTestData.Uniform(rng, batch * shape.GroupWidth);
        var c = DecodeTestData.Uniform(rng, batch * shape.GroupWidth);
        var heads = DecodeTestData.Uniform(rng, shape.Heads, -2, -0.1f);
        var state = DecodeTestData.Uniform(rng, (cache * shape.SlotSize) + offset + 1);

        var accelerator = device.Device.Accelerator;
        using var stateBuffer = accelerator.Allocate1D(state);
        using var xBuffer = accelerator.Allocate1D(x);
        using var zBuffer = accelerator.Allocate1D(z);
        using var dtBuffer = accelerator.Allocate1D(dt);
        using var bBuffer = accelerator.Allocate1D(b);
        using var cBuffer = accelerator.Allocate1D(c);
        using var headBuffer = accelerator.Allocate1D(heads);
        using var yBuffer = accelerator.Allocate1D<float>(batch * shape.Channels);
        yBuffer.MemSetToZero();
        using var slots = new CacheSlots(accelerator, slotIndices, cache);
        var view = stateBuffer.View.AsContiguous().SubView(offset, cache * shape.SlotSize);
        SelectiveStateUpdate.StartsAligned(view, Dtype.F32).Should().BeFalse();
        op.Run(shape, options, new StateUpdateViews<float, float>
        {
            State = view, X = xBuffer.View, Z = zBuffer.View, Dt = dtBuffer.View, A = headBuffer.View,
            B = bBuffer.View, C = cBuffer.View, D = headBuffer.View, DtBias = headBuffer.View, Y = yBuffer.View,
        }, slots, config);
        accelerator.Synchronize();

        static double[] W(float[] v) => v.Select(e => (double)e).ToArray();
        var refState = W(state).Skip(offset).Take(cache * shape.SlotSize).ToArray();
        var refY = new double[batch * shape.Channels];
        DecodeReference.StateUpdate(shape, options, new DecodeInputs
        {
            Rows = batch, X = W(x), Z = W(z), Dt = W(dt), A = W(heads), B = W(b), C = W(c), D = W(heads), DtBias = W(heads),
        }, slotIndices, refState, refY);

        var after = stateBuffer.GetAsArray1D();
        after.Take(offset).Should().Equal(state.Take(offset), "the elements before the view are not state");
        after[^1].Should().Be(state[^1], "the element after the view is not state");
        DecodeTestData.ShouldMatch(W(after).Skip(offset).Take(cache * shape.SlotSize).ToList(), refState, 1e-4, "state");
        var y = W(yBuffer.GetAsArray1D());
        DecodeTestData.ShouldMatch(y.Take(shape.Channels).Concat(y.Skip(2 * shape.Channels)).ToList(),
            refY.Take(shape.Channels).Concat(refY.Skip(2 * shape.Channels)).ToList(), 1e-4, "y");
        y.Skip(shape.Channels).Take(shape.Channels).Should().OnlyContain(v => v == 0, "row 1 is padding");
    }

    [Fact]
    public void Each_constant_N_is_its_own_compilation_and_other_N_share_one()
    {
        using var registry = new KernelRegistry(device.Device.Accelerator, "decode-paths-" + Guid.NewGuid().ToString("N"));
        var ssu = new SelectiveStateUpdate(registry);
        var options = new StateUpdateOptions();
        ssu.Prepare(new StateUpdateShape(2, 4, 1, 16), options);
        ssu.Prepare(new StateUpdateShape(4, 8, 2, 16), options);     // same N: same kernel
        ssu.Prepare(new StateUpdateShape(2, 4, 1, 32), options);
        ssu.Prepare(new StateUpdateShape(2, 4, 1, 12), options);
        ssu.Prepare(new StateUpdateShape(2, 4, 1, 24), options);     // run-time N: same kernel as 12
        registry.Compilations.Should().Be(3);
        SelectiveStateUpdate.Methods.Get(options, ssu.DefaultConfig, 128).GetGenericArguments()[^1].Should().Be(typeof(C128));
        SelectiveStateUpdate.Methods.Get(options, ssu.DefaultConfig, 100).GetGenericArguments()[^1].Name.Should().Be("AnyStateDim");
        SelectiveStateUpdate.Methods.Get(options with { DtMin = 0.1f }, ssu.DefaultConfig, 128)
            .Should().BeSameAs(SelectiveStateUpdate.Methods.Get(options, ssu.DefaultConfig, 128), "the dt limits are run-time values");
    }
}
