using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>What a warmup did: its duration and every event it raised.</summary>
/// <param name="Duration">Wall time of the whole warmup.</param>
/// <param name="Events">Every compile, tuning and table event raised during it.</param>
public sealed record WarmupReport(TimeSpan Duration, IReadOnlyList<KernelEvent> Events)
{
    /// <summary>Compilations during warmup.</summary>
    public int Compilations => Events.Count(e => e.Kind == KernelEventKind.Compiled);

    /// <summary>Tuning runs during warmup.</summary>
    public int TuningRuns => Events.Count(e => e.Kind == KernelEventKind.TuneStarted);

    /// <summary>Table entries that could not be used.</summary>
    public int Rejections => Events.Count(e => e.Kind == KernelEventKind.TableEntryRejected);
}
