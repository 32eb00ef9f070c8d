using WarmGate.Cli.Bench;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Tests.Bench;

/// <summary>The SSD prefill's stage hook and the profiler built on it, on the CPU accelerator with a tiny shape.</summary>
public sealed class SsdStageProfilerTests : IDisposable
{
    private static readonly SsdShape Shape = new(4, 8, 2, 8);
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly KernelRegistry registry;
    private readonly SsdPrefill prefill;
    private readonly SsdDeviceRun run;
    private readonly SsdPrefillConfig config = SsdPrefillConfig.Default(cuda: false);

    public SsdStageProfilerTests()
    {
        registry = new KernelRegistry(device.Accelerator, "stages-test-" + Guid.NewGuid().ToString("N"));
        prefill = new SsdPrefill(registry);
        var options = SsdPrefillBench.OptionsFor(Dtype.F32);
        run = SsdDeviceRun.Create(prefill, Shape, options, SsdHostInputs.Random(Shape, options, [40], seed: 3));
    }

    public void Dispose()
    {
        run.Dispose();
        prefill.Dispose();
        registry.Dispose();
        device.Dispose();
    }

    [Fact]
    public void The_hook_sees_setup_then_the_five_kernels_in_launch_order()
    {
        var seen = new List<string>();
        prefill.StageLaunched = seen.Add;
        run.Enqueue(device.Accelerator.DefaultStream, config);
        prefill.StageLaunched = null;
        run.Enqueue(device.Accelerator.DefaultStream, config);
        seen.Should().Equal("ssd.setup", "ssd.cumsum", "ssd.chunk_state", "ssd.state_passing", "ssd.bmm", "ssd.chunk_scan");
    }

    [Fact]
    public void The_profiler_times_each_stage_of_each_run_and_removes_its_hook()
    {
        var stream = device.Accelerator.DefaultStream;
        var profile = SsdStageProfiler.Profile(prefill, run, config, stream, DeviceTimer.For(device.Accelerator), warmups: 1, runs: 3);

        profile.Stages.Select(SsdStageProfile.Stem).Should().Equal("setup", "cumsum", "chunk_state", "state_passing", "bmm", "chunk_scan");
        profile.Samples.Should().HaveCount(3).And.OnlyContain(s => s.Length == 6 && s.All(t => double.IsFinite(t) && t >= 0));
        profile.Totals().Should().HaveCount(3).And.OnlyContain(t => t > 0);
        profile.Of(5).Should().Equal(profile.Samples.Select(s => s[5]));
        prefill.StageLaunched.Should().BeNull();

        var (y, _) = run.Download(stream);
        y.Should().OnlyContain(v => float.IsFinite(v), "profiled runs still compute the prefill");
    }

    [Fact]
    public void A_second_profiler_on_the_same_prefill_is_refused_and_the_first_hook_stays()
    {
        Action<string> first = _ => { };
        prefill.StageLaunched = first;
        var act = () => SsdStageProfiler.Profile(
            prefill, run, config, device.Accelerator.DefaultStream, DeviceTimer.For(device.Accelerator), warmups: 0, runs: 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*already has a stage hook*");
        prefill.StageLaunched.Should().BeSameAs(first);
    }

    [Fact]
    public void The_configs_are_the_tuned_then_the_default_then_the_other_fitting_candidates_once_each()
    {
        var candidates = SsdPrefillConfig.Candidates(cuda: true);
        var configs = SsdStagesBench.Configs(candidates[2], cuda: true, maxThreadsPerGroup: 1024);
        configs[0].Should().Be(candidates[2]);
        configs[1].Should().Be(SsdPrefillConfig.Default(cuda: true));
        configs.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(candidates);

        var small = SsdStagesBench.Configs(SsdPrefillConfig.Default(cuda: false), cuda: false, maxThreadsPerGroup: 64);
        small.Should().OnlyContain(c => c.Fits(64));
    }
}
