using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>One CPU accelerator and registry shared by the tests of a class (kernels compile once per class).</summary>
public sealed class DecodeDevice : IDisposable
{
    public DecodeDevice()
    {
        Device = DeviceSelector.Open(DeviceKind.Cpu);
        Registry = new KernelRegistry(Device.Accelerator, "decode-tests-" + Guid.NewGuid().ToString("N"));
    }

    public DeviceHandle Device { get; }

    public KernelRegistry Registry { get; }

    public void Dispose()
    {
        Registry.Dispose();
        Device.Dispose();
    }
}
