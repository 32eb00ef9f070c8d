using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness;

/// <summary>
/// Fails a test in whose scope a kernel compiled or tuned after load. Its message names each
/// kernel, key, config, duration and call site and says what to do.
/// </summary>
public sealed class WarmGateViolationException : Exception
{
    /// <summary>Creates the exception for the given events.</summary>
    /// <param name="message">The message a person reads.</param>
    /// <param name="events">The compile and tuning events in the <c>Serving</c> phase.</param>
    public WarmGateViolationException(string message, IReadOnlyList<KernelEvent> events)
        : base(message)
    {
        Events = events;
    }

    /// <summary>Creates the exception with a message and no events.</summary>
    public WarmGateViolationException()
        : this("A kernel compiled or tuned after load.", [])
    {
    }

    /// <summary>Creates the exception with a message and no events.</summary>
    /// <param name="message">The message.</param>
    public WarmGateViolationException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WarmGateViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Events = [];
    }

    /// <summary>The events the test is failed for.</summary>
    public IReadOnlyList<KernelEvent> Events { get; }
}
