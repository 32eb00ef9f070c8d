namespace WarmGate.Kernels.Tuning;

/// <summary>Tuning a kernel failed for every candidate; the message lists each failure.</summary>
public sealed class TuningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TuningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public TuningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public TuningException()
        : base("Tuning failed.")
    {
    }
}
