using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>A fact that runs only where ILGPU sees a CUDA device; elsewhere it is skipped with the reason.</summary>
internal sealed class DecodeCudaFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> HasCuda = new(() =>
        DeviceSelector.ListDevices().Any(d => d.StartsWith("Cuda", StringComparison.OrdinalIgnoreCase)));

    public DecodeCudaFactAttribute()
    {
        if (!HasCuda.Value) Skip = "no CUDA device";
    }
}
