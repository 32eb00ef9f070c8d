using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

/// <summary>Tunables that can enqueue a run on a stream, and how the tuner and its timers use that form.</summary>
public sealed class EnqueueTunableTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);

    public void Dispose() => device.Dispose();

    [Fact]
    public void A_delegate_tunable_with_a_stream_hands_the_timer_its_enqueue_form()
    {
        var stream = device.Accelerator.DefaultStream;
        var enqueued = new List<string>();
        var ran = new List<string>();
        var op = new DelegateTunable("fake.enqueue", "k", "hash-1", ["a", "b"], _ => null, ran.Add, stream, enqueued.Add);
        using var registry = new KernelRegistry(device.Accelerator, "enqueue-test-" + Guid.NewGuid().ToString("N"));
        var timer = new ScriptedTimer(new ManualClock(), new() { ["a"] = [2.0], ["b"] = [1.0] });

        new Autotuner(registry, timer, new TunerOptions(0, 1, TimeSpan.FromMinutes(1))).Tune(op).Config.Should().Be("b");

        timer.Calls.Should().OnlyContain(c => c.Enqueued);
        enqueued.Should().Equal("a", "b");
        ran.Should().BeEmpty();
        ((ITunable)op).Stream.Should().BeSameAs(stream);
    }

    [Fact]
    public void A_tunable_without_a_stream_is_run_synchronously_and_cannot_enqueue()
    {
        ITunable op = new FakeTunable("k", "a");
        op.Stream.Should().BeNull();
        var run = CandidateRun.Of(op, "a");
        run.Enqueue.Should().BeNull();
        run.Run();
        ((FakeTunable)op).Runs.Should().Equal("a");
        var act = () => op.Enqueue("a");
        act.Should().Throw<NotSupportedException>().WithMessage("*fake.kernel [k]*Run*");
    }

    [Fact]
    public void A_stream_without_an_enqueue_delegate_or_the_reverse_is_refused()
    {
        var stream = device.Accelerator.DefaultStream;
        var noEnqueue = () => new DelegateTunable("x", "k", "h", ["a"], _ => null, _ => { }, stream, null);
        noEnqueue.Should().Throw<ArgumentException>().WithParameterName("enqueue");
        var noStream = () => new DelegateTunable("x", "k", "h", ["a"], _ => null, _ => { }, null, _ => { });
        noStream.Should().Throw<ArgumentException>().WithParameterName("stream");
        var run = () => new CandidateRun("a", () => { }, stream);
        run.Should().Throw<ArgumentException>().WithParameterName("enqueue");
    }

    [Fact]
    public void A_delegate_tunable_without_enqueue_refuses_to_enqueue()
    {
        var op = new DelegateTunable("x", "k", "h", ["a"], _ => null, _ => { });
        op.Stream.Should().BeNull();
        var act = () => op.Enqueue("a");
        act.Should().Throw<NotSupportedException>().WithMessage("*x [k]*enqueue*");
    }

    [Fact]
    public void The_default_timer_times_the_synchronous_run_on_the_cpu_accelerator()
    {
        var stream = device.Accelerator.DefaultStream;
        int runs = 0, enqueues = 0;
        var ms = new DeviceCandidateTimer().MedianMilliseconds(
            new CandidateRun("a", () => runs++, stream, () => enqueues++), warmups: 1, repetitions: 3);
        ms.Should().BeGreaterThanOrEqualTo(0);
        runs.Should().Be(4, "the CPU accelerator has no device clock: wall time of the synchronous run");
        enqueues.Should().Be(0);
    }

    [Fact]
    public void The_default_timer_uses_device_time_where_the_context_has_profiling()
    {
        using var context = Context.Create(builder => builder.CPU(DeviceSelector.CpuDevice).Profiling());
        using var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
        using var buffer = accelerator.Allocate1D<float>(256);
        int runs = 0, enqueues = 0;
        var stream = accelerator.DefaultStream;
        var ms = new DeviceCandidateTimer().MedianMilliseconds(
            new CandidateRun("a", () => runs++, stream, () =>
            {
                enqueues++;
                buffer.MemSetToZero(stream);
            }), warmups: 1, repetitions: 3);
        ms.Should().BeGreaterThanOrEqualTo(0);
        enqueues.Should().Be(4);
        runs.Should().Be(0);
    }

    [Fact]
    public void A_timer_that_only_knows_synchronous_runs_still_works_through_the_default_interface_method()
    {
        ICandidateTimer timer = new TableTimer(new() { ["a"] = 7 });
        var ran = 0;
        timer.MedianMilliseconds(new CandidateRun("a", () => ran++, device.Accelerator.DefaultStream, () => { }), 1, 1).Should().Be(7);
        ran.Should().Be(1);
    }
}
