using Xunit.Abstractions;

namespace WarmGate.Harness.Tests.Support;

/// <summary>An <see cref="IMessageSink"/> that keeps every message.</summary>
internal sealed class RecordingSink : Xunit.LongLivedMarshalByRefObject, IMessageSink
{
    private readonly List<IMessageSinkMessage> messages = [];

    public IReadOnlyList<string> Diagnostics
    {
        get
        {
            lock (messages) return messages.OfType<IDiagnosticMessage>().Select(m => m.Message).ToList();
        }
    }

    public bool OnMessage(IMessageSinkMessage message)
    {
        lock (messages) messages.Add(message);
        return true;
    }
}
