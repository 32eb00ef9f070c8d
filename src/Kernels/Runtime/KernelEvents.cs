using System.Collections.Immutable;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// The process-wide event stream: every registry and tuner publishes here. Subscribers are
/// called synchronously on the thread that raised the event, exactly once per event.
/// Setting <c>WARMGATE_PRINT_AUTOTUNING=1</c> prints every event to stderr.
/// </summary>
public static class KernelEvents
{
    private static ImmutableArray<Action<KernelEvent>> subscribers = [];
    private static ImmutableArray<Action<KernelUse>> useSubscribers = [];

    /// <summary>Whether <c>WARMGATE_PRINT_AUTOTUNING</c> is set to 1 (read at each event).</summary>
    public static bool PrintToStderr =>
        Environment.GetEnvironmentVariable("WARMGATE_PRINT_AUTOTUNING") is "1" or "true";

    /// <summary>Subscribes until the returned object is disposed.</summary>
    public static IDisposable Subscribe(Action<KernelEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref subscribers, s => s.Add(handler));
        return new Unsubscriber(handler);
    }

    /// <summary>Publishes an event to every subscriber, the metrics and (if enabled) stderr.</summary>
    public static void Publish(KernelEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        KernelMetrics.Record(e);
        if (PrintToStderr)
            Console.Error.WriteLine(e.ToString());
        foreach (var handler in subscribers)
            handler(e);
    }

    /// <summary>
    /// Subscribes to launches of kernels that were already compiled (cache hits in a registry),
    /// until the returned object is disposed. Reports use this to tell which warmed keys ran.
    /// Costs one read per launch when nobody listens.
    /// </summary>
    public static IDisposable SubscribeUse(Action<KernelUse> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref useSubscribers, s => s.Add(handler));
        return new UseUnsubscriber(handler);
    }

    /// <summary>Whether anyone listens to launches (so callers can skip building a <see cref="KernelUse"/>).</summary>
    internal static bool HasUseSubscribers => !useSubscribers.IsEmpty;

    internal static void PublishUse(KernelUse use)
    {
        foreach (var handler in useSubscribers)
            handler(use);
    }

    private sealed class Unsubscriber(Action<KernelEvent> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref subscribers, s => s.Remove(handler));
    }

    private sealed class UseUnsubscriber(Action<KernelUse> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref useSubscribers, s => s.Remove(handler));
    }
}
