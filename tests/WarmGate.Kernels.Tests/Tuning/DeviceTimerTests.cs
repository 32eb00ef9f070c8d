using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

/// <summary>Which timer an accelerator gets, and that each returns one sample per run and segment (no timing values asserted on the CPU).</summary>
public sealed class DeviceTimerTests
{
    [Fact]
    public void The_cpu_accelerator_without_profiling_is_timed_by_wall_clock()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        var timer = DeviceTimer.For(device.Accelerator);
        timer.Should().BeOfType<WallTimer>();
        timer.Name.Should().Be("wall");
        timer.IsDeviceTime.Should().BeFalse();
        AssertSamples(timer, device.Accelerator);
        AssertSegments(timer, device.Accelerator);
    }

    [Fact]
    public void A_context_with_profiling_is_timed_by_profiling_markers()
    {
        using var context = Context.Create(builder => builder.CPU(DeviceSelector.CpuDevice).Profiling());
        using var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
        var timer = DeviceTimer.For(accelerator);
        timer.Should().BeOfType<ProfilingMarkerTimer>();
        timer.Name.Should().Be("events");
        timer.IsDeviceTime.Should().BeTrue();
        AssertSamples(timer, accelerator);
        AssertSegments(timer, accelerator);
    }

    [Theory]
    [InlineData(1, "marked 1")]
    [InlineData(3, "marked more")]
    public void A_run_that_marks_a_wrong_number_of_boundaries_is_an_error(int marks, string message)
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        var act = () => DeviceTimer.For(device.Accelerator).MeasureSegments(device.Accelerator.DefaultStream, mark =>
        {
            for (var i = 0; i < marks; i++) mark();
        }, segments: 2, warmups: 0, runs: 1);
        act.Should().Throw<InvalidOperationException>().WithMessage($"*must mark 2 segment boundaries but {message}*");
    }

    [Fact]
    public void Bad_counts_are_refused_before_anything_runs()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        var timer = DeviceTimer.For(device.Accelerator);
        var calls = 0;
        var act = () => timer.MeasureSegments(device.Accelerator.DefaultStream, _ => calls++, segments: 0, warmups: 1, runs: 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("segments");
        var noRuns = () => timer.Measure(device.Accelerator.DefaultStream, () => calls++, warmups: 1, runs: 0);
        noRuns.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("runs");
        calls.Should().Be(0);
    }

    [Fact]
    public void A_wall_clock_segment_waits_for_its_own_work()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        var samples = DeviceTimer.For(device.Accelerator).MeasureSegments(device.Accelerator.DefaultStream, mark =>
        {
            mark();
            Thread.Sleep(30);
            mark();
        }, segments: 2, warmups: 0, runs: 1);
        samples[0][1].Should().BeGreaterThanOrEqualTo(25_000, "the second segment holds the 30 ms sleep");
        samples[0][0].Should().BeLessThan(samples[0][1]);
    }

    [CudaFact]
    public void Cuda_events_give_positive_device_times_for_each_run_and_segment()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cuda);
        var accelerator = device.Accelerator;
        var timer = DeviceTimer.For(accelerator);
        timer.Should().BeOfType<CudaEventTimer>();
        timer.IsDeviceTime.Should().BeTrue();
        using var buffer = accelerator.Allocate1D<float>(1 << 24);
        var stream = accelerator.DefaultStream;
        var samples = timer.Measure(stream, () => buffer.MemSetToZero(stream), warmups: 2, runs: 5);
        samples.Should().HaveCount(5).And.OnlyContain(s => double.IsFinite(s) && s > 0);
        var segments = timer.MeasureSegments(stream, mark =>
        {
            buffer.MemSetToZero(stream);
            mark();
            buffer.View.SubView(0, 1 << 20).MemSetToZero(stream);
            mark();
        }, segments: 2, warmups: 1, runs: 5);
        segments.Should().HaveCount(5).And.OnlyContain(run => run.Length == 2 && run.All(s => double.IsFinite(s) && s > 0));
    }

    [CudaFact]
    public void The_default_candidate_timer_measures_device_time_for_a_tunable_with_a_stream()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cuda);
        var stream = device.Accelerator.DefaultStream;
        using var buffer = device.Accelerator.Allocate1D<float>(1 << 24);
        var synchronousRuns = 0;
        var ms = new DeviceCandidateTimer().MedianMilliseconds(
            new CandidateRun("x", () => synchronousRuns++, stream, () => buffer.MemSetToZero(stream)), warmups: 1, repetitions: 5);
        ms.Should().BeGreaterThan(0).And.BeLessThan(1000);
        synchronousRuns.Should().Be(0, "with a stream on CUDA the enqueue form is timed by events");
    }

    private static void AssertSamples(DeviceTimer timer, Accelerator accelerator)
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

    private static void AssertSegments(DeviceTimer timer, Accelerator accelerator)
    {
        using var buffer = accelerator.Allocate1D<float>(1024);
        var calls = 0;
        var samples = timer.MeasureSegments(accelerator.DefaultStream, mark =>
        {
            calls++;
            for (var s = 0; s < 3; s++)
            {
                buffer.MemSetToZero(accelerator.DefaultStream);
                mark();
            }
        }, segments: 3, warmups: 1, runs: 4);
        calls.Should().Be(5, "one warm-up and four timed runs");
        samples.Should().HaveCount(4).And.OnlyContain(run => run.Length == 3 && run.All(s => double.IsFinite(s) && s >= 0));
    }
}
