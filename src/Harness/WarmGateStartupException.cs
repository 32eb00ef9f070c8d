namespace WarmGate.Harness;

/// <summary>
/// A WarmGate fixture could not load or warm up its target. Kept by the fixture and rethrown in
/// every test that uses it, with the real cause as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class WarmGateStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WarmGateStartupException()
        : base("A WarmGate fixture failed to start.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public WarmGateStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public WarmGateStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
