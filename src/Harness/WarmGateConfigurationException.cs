namespace WarmGate.Harness;

/// <summary>
/// WarmGate is set up wrongly: an invalid <c>WARMGATE_GATE</c> value, a fixture used without the
/// WarmGate test framework, an assembly fixture type that cannot be created.
/// </summary>
public sealed class WarmGateConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WarmGateConfigurationException()
        : base("WarmGate is not configured correctly.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public WarmGateConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public WarmGateConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
