using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Model;

/// <summary>Warmup that compiles concurrently raises exactly the events of a serial one and serves the same results.</summary>
public sealed class ConcurrentWarmupTests : IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly List<Mamba2Runtime> runtimes = [];

    public void Dispose()
    {
        foreach (var r in runtimes) r.Dispose();
        device.Dispose();
    }

    private static Mamba2Weights Tiny => BuiltinModels.Load(BuiltinModels.Tiny);

    private Mamba2Runtime Fresh(int concurrency)
    {
        var runtime = Mamba2Runtime.Create(device, Tiny, SharedRuntimes.FirstCandidate);
        runtime.WarmupCompileConcurrency = concurrency;
        runtimes.Add(runtime);
        return runtime;
    }

    /// <summary>Every field an event reports except timings (its duration; a tuning result's detail is its time), in a stable order.</summary>
    private static List<string> Comparable(WarmupReport report) =>
        report.Events
            .Select(e => $"{e.Kind}|{e.Phase}|{e.Kernel}|{e.Key}|{e.Config}|{e.Scope}|{e.CallSite}|{(e.Kind == KernelEventKind.Tuned ? "" : e.Detail)}|{e.Backend}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>One call site for every warmup of these tests, so events can be compared field by field.</summary>
    private static WarmupReport WarmUp(Mamba2Runtime runtime)
    {
        using (KernelScope.Enter("concurrent-warmup-test"))
            return runtime.Warmup();
    }

    [Fact]
    public void With_tuning_concurrent_and_serial_warmups_raise_the_same_events()
    {
        var serial = WarmUp(Fresh(1));
        var runtime = Fresh(4);
        var tunedOnDryRun = 0;
        using (KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name && e.Kind == KernelEventKind.TuneStarted && runtime.Registry.IsDiscoveringOnCurrentThread)
                Interlocked.Increment(ref tunedOnDryRun);
        }))
        {
            var concurrent = WarmUp(runtime);

            tunedOnDryRun.Should().Be(0, "tuning needs the real run's data, never the dry run's");
            concurrent.Compilations.Should().Be(serial.Compilations).And.BeGreaterThan(0);
            concurrent.TuningRuns.Should().Be(serial.TuningRuns).And.BeGreaterThan(0, "no table: every key is tuned");
            Comparable(concurrent).Should().Equal(Comparable(serial));
            concurrent.Events.Where(e => e.Kind == KernelEventKind.Compiled)
                .Should().OnlyContain(e => e.Phase == KernelPhase.WarmingUp && e.Scope == "concurrent-warmup-test"
                    && e.CallSite != null && e.CallSite.Contains(nameof(ConcurrentWarmupTests)));
        }
    }

    [Fact]
    public void With_a_table_concurrent_and_serial_warmups_raise_the_same_events_and_serve_the_same_tokens()
    {
        var tuned = Fresh(1);
        WarmUp(tuned);
        var builder = new TuningTableBuilder(tuned.Device.Signature);
        foreach (var entry in tuned.Tuner.Tuned) builder.Set(entry);
        var table = builder.Build();

        var serialRuntime = Fresh(1);
        serialRuntime.UseTables([table]);
        var serial = WarmUp(serialRuntime);
        var concurrentRuntime = Fresh(4);
        concurrentRuntime.UseTables([table]);
        var concurrent = WarmUp(concurrentRuntime);

        concurrent.TuningRuns.Should().Be(0);
        concurrent.Compilations.Should().Be(serial.Compilations).And.BeGreaterThan(0);
        Comparable(concurrent).Should().Equal(Comparable(serial));

        int[] prompt = [4, 8, 15, 16, 23, 42];
        var expected = new Mamba2Reference(Tiny).Generate(prompt, 3);
        concurrentRuntime.Generate([prompt], 3)[0].Should().Equal(expected, "no stand-in launcher from the dry run may survive it");
        concurrentRuntime.Registry.Compilations.Should().Be(concurrent.Compilations, "serving compiled nothing");
    }
}
