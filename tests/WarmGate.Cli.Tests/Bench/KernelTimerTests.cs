using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Devices;

namespace WarmGate.Cli.Tests.Bench;

/// <summary>Which timer an accelerator gets, and that each returns one sample per timed run (no timing values asserted).</summary>
public sealed class KernelTimerTests
{
    [Fact]
    public void The_cpu_accelerator_without_profiling_is_timed_by_wall_clock()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        var timer = KernelTimer.For(device.Accelerator);
        timer.Should().BeOfType<WallTimer>();
        timer.Name.Should().Be("wall");
        AssertSamples(timer, device.Accelerator);
    }

    [Fact]
    public void A_context_with_profiling_is_timed_by_profiling_markers()
    {
        using var context = Context.Create(builder => builder.CPU(DeviceSelector.CpuDevice).Profiling());
        using var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
        var timer = KernelTimer.For(accelerator);
        timer.Should().BeOfType<ProfilingMarkerTimer>();
        timer.Name.Should().Be("events");
        AssertSamples(timer, accelerator);
    }

    private static void AssertSamples(KernelTimer timer, Accelerator accelerator)
    {
        using var buffer = accelerator.Allocate1D<float>(1024);
        var calls = 0;
        var samples = timer.Measure(accelerator.DefaultStream, () =>
        {
            calls++;
            buffer.MemSetToZero(accelerator.DefaultStream);
        }, warmups: 2, runs: 5);
        calls.Should().Be(7, "two warm-ups and five timed runs");
        samples.Should().HaveCount(5).And.OnlyContain(s => double.IsFinite(s) && s >= 0);
    }
}
