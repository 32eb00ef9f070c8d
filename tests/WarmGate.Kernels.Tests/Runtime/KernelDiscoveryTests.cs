using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tests.Tuning;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Runtime;

public sealed class KernelDiscoveryTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly EventRecorder recorder = new("discovery-test");

    public void Dispose()
    {
        recorder.Dispose();
        device.Dispose();
    }

    private static MethodInfo Scale(bool negate) =>
        typeof(KernelRegistryTests).GetMethod(nameof(KernelRegistryTests.Scale), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(float), typeof(F32), TypeConstants.Flag(negate));

    private static Action<AcceleratorStream, KernelConfig, ArrayView<float>, float> Get(KernelRegistry registry, bool negate) =>
        registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>, float>>(
            "test.scale", Scale(negate), key: $"negate={negate}", config: "group=16");

    private void Launch(KernelRegistry registry, bool negate, MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        Get(registry, negate)(device.Accelerator.DefaultStream, new KernelConfig(1, 16), buffer.View, 2f);
        device.Accelerator.Synchronize();
    }

    [Fact]
    public void Discovery_answers_with_launchers_that_do_nothing_then_compiles_everything_with_the_requesters_events()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        registry.EnterPhase(KernelPhase.WarmingUp);
        using var buffer = device.Accelerator.Allocate1D(new[] { 1f, 2f });
        int compiled;
        using (var discovery = registry.BeginDiscovery())
        {
            using (KernelScope.Enter("discovering"))
            {
                Launch(registry, negate: false, buffer);
                Launch(registry, negate: true, buffer);
                Launch(registry, negate: true, buffer);
            }
            buffer.GetAsArray1D().Should().Equal([1f, 2f], "no kernel ran");
            registry.Compilations.Should().Be(0);
            recorder.Events.Should().BeEmpty();
            discovery.Count.Should().Be(2);
            compiled = discovery.CompileAll(maxParallelism: 2);
        }

        compiled.Should().Be(2);
        registry.Compilations.Should().Be(2);
        recorder.Events.Should().HaveCount(2).And.OnlyContain(e =>
            e.Kind == KernelEventKind.Compiled && e.Phase == KernelPhase.WarmingUp && e.Scope == "discovering"
            && e.CallSite != null && e.CallSite.Contains(nameof(KernelDiscoveryTests)));
        recorder.Events.Select(e => e.Key).Should().BeEquivalentTo(["negate=False", "negate=True"]);

        Launch(registry, negate: true, buffer);
        buffer.GetAsArray1D().Should().Equal([-2f, -4f], "after discovery the real kernel runs");
        registry.Compilations.Should().Be(2);
    }

    [Fact]
    public void Other_threads_get_real_kernels_while_one_thread_discovers()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        using var buffer = device.Accelerator.Allocate1D(new[] { 1f });
        using var discovery = registry.BeginDiscovery();
        var other = new Thread(() => Launch(registry, negate: false, buffer));
        other.Start();
        other.Join();

        buffer.GetAsArray1D().Should().Equal([2f], "a request outside the dry run must really run");
        registry.Compilations.Should().Be(1);
        discovery.Count.Should().Be(0);
    }

    [Fact]
    public void A_key_that_needs_tuning_stops_the_dry_run_instead_of_timing_kernels_that_do_nothing()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        var tuner = new Autotuner(registry, new StopwatchTimer(), TunerOptions.Cpu);
        var op = new FakeTunable("k=1", "a", "b");
        using (registry.BeginDiscovery())
        {
            registry.IsDiscoveringOnCurrentThread.Should().BeTrue();
            var resolve = () => tuner.Resolve(op);
            resolve.Should().Throw<DiscoveryStoppedException>()
                .Which.Key.Should().Be("k=1");
            op.Runs.Should().BeEmpty("nothing may be timed on a dry run's data");

            string? otherThreads = null;
            var other = new Thread(() => otherThreads = tuner.Resolve(new FakeTunable("k=2", "a")));
            other.Start();
            other.Join();
            otherThreads.Should().Be("a", "threads outside the dry run tune as usual");
        }
        registry.IsDiscoveringOnCurrentThread.Should().BeFalse();
        tuner.Resolve(op).Should().BeOneOf("a", "b");
        op.Runs.Should().NotBeEmpty("the real run tunes the key");
        recorder.Events.Where(e => e.Kind == KernelEventKind.TuneStarted).Select(e => e.Key).Should().BeEquivalentTo(["k=2", "k=1"]);
    }

    [Fact]
    public void One_discovery_at_a_time_and_disposing_it_compiles_nothing()
    {
        using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime);
        using var buffer = device.Accelerator.Allocate1D(new[] { 1f });
        using (registry.BeginDiscovery())
        {
            var again = () => registry.BeginDiscovery();
            again.Should().Throw<InvalidOperationException>().WithMessage("*already discovering*");
            Launch(registry, negate: false, buffer);
        }
        registry.Compilations.Should().Be(0);
        Launch(registry, negate: false, buffer);
        registry.Compilations.Should().Be(1);
        buffer.GetAsArray1D().Should().Equal([2f]);
    }

    [Fact]
    public void Different_kernels_compile_concurrently_once_each_with_loads_serialized_or_not()
    {
        foreach (var serialize in new[] { true, false })
        {
            using var registry = new KernelRegistry(device.Accelerator, recorder.Runtime) { SerializeModuleLoads = serialize };
            Parallel.For(0, 16, i => Get(registry, negate: i % 2 == 0));
            registry.Compilations.Should().Be(2);
            registry.LoadedCount.Should().Be(2);
            registry.CompileTime.Should().BePositive();
            registry.LoadTime.Should().BePositive();
        }
        recorder.Events.Should().HaveCount(4);
    }
}
