namespace WarmGate.Kernels.Devices;

/// <summary>Thrown when the requested kind of device is not present on this machine.</summary>
public sealed class NoDeviceException : Exception
{
    /// <summary>Creates the exception with a message that says what was asked for and what exists.</summary>
    public NoDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public NoDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public NoDeviceException()
        : base("No suitable device was found.")
    {
    }
}
