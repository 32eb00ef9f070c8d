using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Tests;

/// <summary>A fact that runs only where ILGPU sees a CUDA device, and is skipped with the reason otherwise.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public CudaFactAttribute()
    {
        if (Unavailable.Value is { } reason)
            Skip = reason;
    }

    /// <summary>Whether a CUDA device is present.</summary>
    public static bool IsCudaPresent => Unavailable.Value is null;

    private static string? Probe()
    {
        try
        {
            return DeviceSelector.ListDevices().Any(d => d.StartsWith("Cuda", StringComparison.Ordinal))
                ? null
                : "No CUDA device: ILGPU sees no CUDA driver or GPU on this machine (GPU tests run on the GPU machine).";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"No CUDA device: probing CUDA failed ({e.GetType().Name}: {e.Message}).";
        }
    }
}
