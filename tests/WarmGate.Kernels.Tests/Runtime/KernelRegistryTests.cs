using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.IR;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Runtime;

public sealed class KernelRegistryTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly EventRecorder recorder = new("registry-test");

    public void Dispose()
    {
        recorder.Dispose();
        device.Dispose();
    }

    internal static void Scale<T, TOps, TNegate>(ArrayView<T> data, float factor)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TNegate : struct, IFlag
    {
        var i = Grid.GlobalIndex.X;
        if (i >= data.Length) return;
        var v = default(TOps).ToFloat(data[i]) * factor;
        data[i] = default(TOps).FromFloat(default(TNegate).Value ? -v : v);
    }

    private static MethodInfo ScaleMethod(Type storage, Type ops, Type flag) =>
        typeof(KernelRegistryTests).GetMethod(nameof(Scale), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(storage, ops, flag);

    private void RunScale(KernelRegistry registry, bool negate, ArrayView<float> data)
    {
        var launcher = registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>(
            "test.scale", ScaleMethod(typeof(float), typeof(F32), TypeConstants.Flag(negate)),
            key: $"negate={negate}", config: "group=16");
        var groups = (int)((data.Length + 15) / 16);
        launcher(device.Accelerator.DefaultStream, new KernelConfig(groups, 16), data, 2f);
        device.Accelerator.Synchronize();
    }

    [Fact]
    public void Compiles_once_per_specialization_and_reports_each_compile()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        var counter = new CountingHook();
        registry.ObserverHook = counter;
        using var buffer = device.Accelerator.Allocate1D(new float[] { 1, 2, 3 });

        RunScale(registry, negate: false, buffer.View);
        RunScale(registry, negate: false, buffer.View);
        RunScale(registry, negate: true, buffer.View);

        buffer.GetAsArray1D().Should().Equal(-8f, -16f, -24f);
        counter.Count.Should().Be(2);
        registry.Compilations.Should().Be(2);
        recorder.Events.Should().HaveCount(2).And.OnlyContain(e => e.Kind == KernelEventKind.Compiled);
        recorder.Events.Select(e => e.Key).Should().Equal("negate=False", "negate=True");
        recorder.Events.Should().OnlyContain(e => e.Phase == KernelPhase.Loading && e.Kernel == "test.scale");
        recorder.Events[0].CallSite.Should().Contain(nameof(KernelRegistryTests));
    }

    [Fact]
    public void A_forced_GC_between_launches_compiles_nothing()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        using var buffer = device.Accelerator.Allocate1D(new float[] { 1 });
        RunScale(registry, negate: false, buffer.View);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        RunScale(registry, negate: false, buffer.View);
        registry.Compilations.Should().Be(1);
        recorder.Events.Should().ContainSingle();
    }

    [Fact]
    public void Events_carry_the_phase_and_scope_they_happened_in()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        using var buffer = device.Accelerator.Allocate1D(new float[] { 1 });
        registry.EnterPhase(KernelPhase.Serving);
        using (KernelScope.Enter("MyTest"))
            RunScale(registry, negate: true, buffer.View);
        recorder.Events.Should().ContainSingle().Which.Should().Match<KernelEvent>(
            e => e.Phase == KernelPhase.Serving && e.Scope == "MyTest");
    }

    [Fact]
    public void Phases_cannot_go_back()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        registry.EnterPhase(KernelPhase.Serving);
        var act = () => registry.EnterPhase(KernelPhase.WarmingUp);
        act.Should().Throw<InvalidOperationException>().WithMessage("*cannot go back*");
    }

    [Fact]
    public void Many_threads_asking_for_the_same_new_kernel_compile_it_once()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        var method = ScaleMethod(typeof(float), typeof(F32), typeof(Off));
        Parallel.For(0, 16, _ => registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>(
            "test.scale", method, "k", "c"));
        registry.Compilations.Should().Be(1);
        recorder.Events.Should().ContainSingle();
    }

    [Fact]
    public void Launches_of_compiled_kernels_are_reported_as_uses_with_their_scope()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        using var buffer = device.Accelerator.Allocate1D(new float[] { 1 });
        var uses = new List<KernelUse>();
        using var subscription = KernelEvents.SubscribeUse(u =>
        {
            if (u.Runtime == recorder.Runtime) lock (uses) uses.Add(u);
        });
        RunScale(registry, negate: false, buffer.View);
        uses.Should().BeEmpty("the first launch is a compile, not a use");
        using (KernelScope.Enter("T1"))
            RunScale(registry, negate: false, buffer.View);
        uses.Should().ContainSingle().Which.Should().Be(
            new KernelUse(recorder.Runtime, "test.scale", "negate=False", "group=16", KernelPhase.Loading, "T1"));
    }

    internal static void ValueSpecialized(ArrayView<float> data, SpecializedValue<int> factor)
    {
        var i = Grid.GlobalIndex.X;
        if (i < data.Length) data[i] *= factor;
    }

    [Fact]
    public void Kernels_with_value_specializations_are_refused_because_their_compiles_would_be_invisible()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        var method = typeof(KernelRegistryTests).GetMethod(nameof(ValueSpecialized), BindingFlags.NonPublic | BindingFlags.Static)!;
        var act = () => registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, SpecializedValue<int>>>(
            "test.value", method, "k", "c");
        act.Should().Throw<ArgumentException>().WithMessage("*SpecializedValue parameter 'factor'*generic type argument*");
        registry.Compilations.Should().Be(0);
    }

    private sealed class CountingHook : IBackendHook
    {
        public int Count;

        public void FinishedCodeGeneration(IRContext context, Method entryPoint) => Interlocked.Increment(ref Count);

        public void InitializedKernelContext(IRContext kernelContext, Method kernelMethod)
        {
        }

        public void OptimizedKernelContext(IRContext kernelContext, Method kernelMethod)
        {
        }
    }
}
