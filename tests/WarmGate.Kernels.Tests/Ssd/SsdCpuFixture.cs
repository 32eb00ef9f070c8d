using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// One CPU accelerator, registry and prefill shared by the SSD test classes, so each kernel
/// specialization compiles once per test run.
/// </summary>
public sealed class SsdCpuFixture : IDisposable
{
    public SsdCpuFixture()
    {
        Device = DeviceSelector.Open(DeviceKind.Cpu);
        Registry = new KernelRegistry(Device.Accelerator, "ssd-tests");
        Prefill = new SsdPrefill(Registry);
    }

    public DeviceHandle Device { get; }

    public KernelRegistry Registry { get; }

    public SsdPrefill Prefill { get; }

    public void Dispose()
    {
        Prefill.Dispose();
        Registry.Dispose();
        Device.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SsdCpuCollection : ICollectionFixture<SsdCpuFixture>
{
    public const string Name = "SSD on the CPU accelerator";
}
