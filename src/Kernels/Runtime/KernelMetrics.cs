using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// <see cref="System.Diagnostics.Metrics"/> instruments for compiles and tuning runs, tagged by
/// phase and kernel. Meter name: <c>WarmGate.Kernels</c>.
/// </summary>
public static class KernelMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "WarmGate.Kernels";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> Compiles = Meter.CreateCounter<long>(
        "warmgate.kernel.compilations", unit: "{compilation}", description: "Kernel compilations by phase.");
    private static readonly Counter<long> Tunes = Meter.CreateCounter<long>(
        "warmgate.kernel.tuning_runs", unit: "{run}", description: "Autotuning runs by phase.");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "warmgate.tuning.rejected_entries", unit: "{entry}", description: "Tuning table entries not used.");
    private static readonly Histogram<double> CompileTime = Meter.CreateHistogram<double>(
        "warmgate.kernel.compile_time", unit: "ms", description: "Time spent compiling one kernel.");

    internal static void Record(KernelEvent e)
    {
        var tags = new TagList { { "phase", e.Phase.ToString() }, { "kernel", e.Kernel } };
        switch (e.Kind)
        {
            case KernelEventKind.Compiled:
                Compiles.Add(1, tags);
                CompileTime.Record(e.Duration.TotalMilliseconds, tags);
                break;
            case KernelEventKind.TuneStarted:
                Tunes.Add(1, tags);
                break;
            case KernelEventKind.TableEntryRejected:
                Rejections.Add(1, tags);
                break;
        }
    }
}
