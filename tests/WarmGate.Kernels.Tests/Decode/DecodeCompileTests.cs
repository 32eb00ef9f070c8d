using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>What compiles when: keys, one compilation per code path and config, none for batch, length or strides.</summary>
public sealed class DecodeCompileTests : IClassFixture<DecodeDevice>, IDisposable
{
    private readonly DecodeDevice device;
    private readonly string runtime = "decode-compile-" + Guid.NewGuid().ToString("N");
    private readonly KernelRegistry registry;
    private readonly List<KernelEvent> events = [];
    private readonly IDisposable subscription;

    public DecodeCompileTests(DecodeDevice device)
    {
        this.device = device;
        registry = new KernelRegistry(device.Device.Accelerator, runtime);
        subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime)
                lock (events) events.Add(e);
        });
    }

    public void Dispose()
    {
        subscription.Dispose();
        registry.Dispose();
    }

    [Fact]
    public void Keys_name_the_shape_and_code_path_but_never_batch_or_length()
    {
        SelectiveStateUpdate.Key(new StateUpdateShape(80, 64, 1, 128), new StateUpdateOptions())
            .Should().Be("H=80,P=64,G=1,N=128,in=f32,st=f32,D=head,z=0,sp=1,bias=1");
        SelectiveStateUpdate.Key(new StateUpdateShape(8, 4, 2, 16), new StateUpdateOptions(Dtype.F16, Dtype.F16, DSkip.PerChannel, true, false, false))
            .Should().Be("H=8,P=4,G=2,N=16,in=f16,st=f16,D=chan,z=1,sp=0,bias=0");
        CausalConv1d.UpdateKey(new Conv1dShape(5376, 4), new Conv1dOptions())
            .Should().Be("C=5376,K=4,silu=1,bias=1,in=f32");
        CausalConv1d.PrefillKey(new Conv1dShape(64, 4), new Conv1dOptions(Dtype.F16, Bias: false, Silu: false), initialStates: true)
            .Should().Be("C=64,K=4,silu=0,bias=0,in=f16,init=1");
    }

    [Fact]
    public void Batch_size_slots_and_strides_never_recompile_the_state_update()
    {
        var op = new SelectiveStateUpdate(registry);
        var shape = new StateUpdateShape(2, 4, 1, 8);
        new StateUpdateCase(shape, new StateUpdateOptions(), [0], 3).Run(op).ShouldMatchReference();
        new StateUpdateCase(shape, new StateUpdateOptions(), [2, -1, 1, 0], 3) { Pad = 3 }.Run(op).ShouldMatchReference();

        registry.Compilations.Should().Be(1);
        events.Should().ContainSingle().Which.Should().Match<KernelEvent>(e =>
            e.Kind == KernelEventKind.Compiled && e.Kernel == SelectiveStateUpdate.KernelId
            && e.Key == "H=2,P=4,G=1,N=8,in=f32,st=f32,D=head,z=0,sp=1,bias=1" && e.Config == "GS=64,TP=4");
    }

    [Fact]
    public void Each_code_path_and_config_compiles_once()
    {
        var op = new SelectiveStateUpdate(registry);
        var shape = new StateUpdateShape(2, 4, 1, 8);
        op.Prepare(shape, new StateUpdateOptions());
        op.Prepare(shape, new StateUpdateOptions(Z: true));
        op.Prepare(shape, new StateUpdateOptions(), new StateUpdateConfig(32, 2));
        op.Prepare(shape, new StateUpdateOptions(Z: true));
        op.Prepare(new StateUpdateShape(4, 4, 2, 8), new StateUpdateOptions());   // other dims: same kernel code

        registry.Compilations.Should().Be(3);
        events.Select(e => e.Config).Should().Equal("GS=64,TP=4", "GS=64,TP=4", "GS=32,TP=2");
    }

    [Fact]
    public void After_warmup_serving_varied_batches_and_lengths_compiles_nothing()
    {
        var update = new SelectiveStateUpdate(registry);
        var conv = new CausalConv1d(registry);
        var shape = new StateUpdateShape(2, 4, 1, 8);
        var convShape = new Conv1dShape(6, 4);
        var options = new StateUpdateOptions(Z: true);
        var convOptions = new Conv1dOptions();

        registry.EnterPhase(KernelPhase.WarmingUp);
        update.Prepare(shape, options);
        conv.PreparePrefill(convShape, convOptions, initialStates: false);
        conv.PreparePrefill(convShape, convOptions, initialStates: true);
        conv.PrepareUpdate(convShape, convOptions);
        var warmed = registry.Compilations;
        registry.EnterPhase(KernelPhase.Serving);

        new StateUpdateCase(shape, options, [1], 2).Run(update).ShouldMatchReference();
        new StateUpdateCase(shape, options, [0, 3, -1], 4) { Pad = 2 }.Run(update).ShouldMatchReference();
        new ConvCase(convShape, convOptions, [0], 2) { CuSeqlens = [0, 9] }.Run(conv).ShouldMatchReference();
        new ConvCase(convShape, convOptions, [2, 0, 1], 3) { CuSeqlens = [0, 1, 4, 20], InitialStates = true, Pad = 1 }
            .Run(conv).ShouldMatchReference();
        new ConvCase(convShape, convOptions, [1, -1], 2).Run(conv).ShouldMatchReference();

        warmed.Should().Be(4);
        registry.Compilations.Should().Be(warmed);
        events.Should().HaveCount(4).And.OnlyContain(e => e.Phase == KernelPhase.WarmingUp);
        events.Select(e => e.Kernel).Should().BeEquivalentTo(
            [SelectiveStateUpdate.KernelId, CausalConv1d.PrefillKernelId, CausalConv1d.PrefillKernelId, CausalConv1d.UpdateKernelId]);
    }

    [Fact]
    public void Compile_events_name_the_kernel_type_arguments()
    {
        var op = new SelectiveStateUpdate(registry);
        var shape = new StateUpdateShape(2, 4, 1, 8);
        op.Prepare(shape, new StateUpdateOptions());
        op.Prepare(shape, new StateUpdateOptions());
        events.Should().ContainSingle();
        events[0].Detail.Should().Contain("StateUpdateKernel.Run<Single,F32,Single,F32,F32Vectors,On,Off,Off,On,On,C64,C4,C4,AnyStateDim>");
    }

    [Fact]
    public void The_method_cache_closes_each_specialization_once()
    {
        var calls = 0;
        var cache = new KernelMethodCache<(bool, int)>(
            KernelMethods.Definition(typeof(Conv1dKernels), nameof(Conv1dKernels.Update)),
            k =>
            {
                Interlocked.Increment(ref calls);
                return [typeof(float), typeof(F32), TypeConstants.Flag(k.Item1), TypeConstants.Flag(k.Item2 > 0)];
            });
        var first = cache.Get((true, 1));
        cache.Get((true, 1)).Should().BeSameAs(first);
        cache.Get((false, 1)).Should().NotBeSameAs(first);
        calls.Should().Be(2);
        first.IsGenericMethodDefinition.Should().BeFalse();
    }
}
