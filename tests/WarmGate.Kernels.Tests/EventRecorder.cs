using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests;

/// <summary>Records the events of one runtime name (events are process-wide; tests run in parallel).</summary>
internal sealed class EventRecorder : IDisposable
{
    private readonly List<KernelEvent> events = [];
    private readonly IDisposable subscription;

    public EventRecorder(string prefix = "test")
    {
        Runtime = prefix + "-" + Guid.NewGuid().ToString("N");
        subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == Runtime)
                lock (events) events.Add(e);
        });
    }

    /// <summary>The runtime name to give the registry under test; only its events are recorded.</summary>
    public string Runtime { get; }

    public IReadOnlyList<KernelEvent> Events
    {
        get
        {
            lock (events) return [.. events];
        }
    }

    public void Dispose() => subscription.Dispose();
}
