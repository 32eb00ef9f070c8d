using System.Diagnostics.Metrics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Runtime;

[CollectionDefinition(nameof(ProcessWideState), DisableParallelization = true)]
public sealed class ProcessWideState;

/// <summary>Stderr printing and metrics are process-wide, so these run alone.</summary>
[Collection(nameof(ProcessWideState))]
public sealed class ObservabilityTests
{
    private static KernelEvent Event(KernelEventKind kind, KernelPhase phase) => new()
    {
        Kind = kind, Phase = phase, Kernel = "obs.kernel", Key = "K=1", Config = "c", Runtime = "obs-test",
        Duration = TimeSpan.FromMilliseconds(12.5), CallSite = "Tests.Site (x.cs:3)",
    };

    [Fact]
    public void WARMGATE_PRINT_AUTOTUNING_prints_one_line_per_event_to_stderr()
    {
        var previousError = Console.Error;
        var previous = Environment.GetEnvironmentVariable("WARMGATE_PRINT_AUTOTUNING");
        var captured = new StringWriter();
        try
        {
            Console.SetError(captured);
            Environment.SetEnvironmentVariable("WARMGATE_PRINT_AUTOTUNING", null);
            KernelEvents.Publish(Event(KernelEventKind.Compiled, KernelPhase.Serving));
            captured.ToString().Should().NotContain("obs.kernel");
            Environment.SetEnvironmentVariable("WARMGATE_PRINT_AUTOTUNING", "1");
            KernelEvents.Publish(Event(KernelEventKind.TuneStarted, KernelPhase.Serving));
        }
        finally
        {
            Console.SetError(previousError);
            Environment.SetEnvironmentVariable("WARMGATE_PRINT_AUTOTUNING", previous);
        }
        // Tests in other collections may publish while the variable is set: look at this test's line only.
        captured.ToString().Split('\n').Where(l => l.Contains("obs.kernel", StringComparison.Ordinal)).Select(l => l.Trim())
            .Should().Equal("[warmgate] TuneStarted obs.kernel key=K=1 config=c phase=Serving 12.5 ms at Tests.Site (x.cs:3)");
    }

    [Fact]
    public void Compiles_and_tuning_runs_are_counted_by_phase_as_metrics()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KernelMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var phase = tags.ToArray().Single(t => t.Key == "phase").Value;
            var kernel = tags.ToArray().Single(t => t.Key == "kernel").Value;
            if ((string?)kernel != "obs.kernel") return;
            lock (counts)
            {
                var key = $"{instrument.Name}/{phase}";
                counts[key] = counts.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();
        KernelEvents.Publish(Event(KernelEventKind.Compiled, KernelPhase.WarmingUp));
        KernelEvents.Publish(Event(KernelEventKind.Compiled, KernelPhase.Serving));
        KernelEvents.Publish(Event(KernelEventKind.TuneStarted, KernelPhase.Serving));
        counts.Should().Contain("warmgate.kernel.compilations/WarmingUp", 1)
            .And.Contain("warmgate.kernel.compilations/Serving", 1)
            .And.Contain("warmgate.kernel.tuning_runs/Serving", 1);
    }
}
