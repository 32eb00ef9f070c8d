using WarmGate.Kernels.Devices;

namespace WarmGate.Cli.Tests;

/// <summary>A fact about machines without a CUDA device; skipped (with the reason) where one is present.</summary>
internal sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (DeviceSelector.ListDevices().Any(d => d.StartsWith("Cuda", StringComparison.Ordinal)))
            Skip = "a CUDA device is present: this checks the behaviour without one";
    }
}
