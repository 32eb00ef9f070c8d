using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Tests.Support;

/// <summary>Builds kernel events for tests.</summary>
internal static class Events
{
    public static KernelEvent Compiled(
        KernelPhase phase = KernelPhase.Serving,
        string? scope = null,
        string kernel = "ssd.chunk_scan",
        string key = "P=64,N=128",
        string config = "Q=64",
        string runtime = "unit",
        double ms = 12.5) => new()
        {
            Kind = KernelEventKind.Compiled,
            Phase = phase,
            Kernel = kernel,
            Key = key,
            Config = config,
            Duration = TimeSpan.FromMilliseconds(ms),
            Scope = scope,
            CallSite = "My.Tests.SomeTest (SomeTest.cs:42)",
            Backend = "CPU",
            Runtime = runtime,
            Detail = "Kernels.ChunkScan<F32,On>",
        };

    public static KernelEvent Of(KernelEventKind kind, KernelPhase phase = KernelPhase.Serving, string? scope = null) =>
        Compiled(phase, scope) with { Kind = kind };

    /// <summary>An event carrying the ambient kernel scope, as the registry publishes it.</summary>
    public static KernelEvent CompiledHere(string key = "P=64,N=128") => Compiled(scope: KernelScope.Current, key: key);
}
