using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Devices;

/// <summary>
/// Creates the ILGPU context and accelerator WarmGate runs on: CUDA first, else the CPU
/// accelerator. ILGPU's OpenCL devices are never enabled, so an OpenCL CPU device (pocl) can
/// never be picked by accident.
/// </summary>
public static class DeviceSelector
{
    /// <summary>
    /// The CPU accelerator WarmGate uses: 4 lanes a warp, 16 warps a multiprocessor (groups of
    /// up to 64 threads), one multiprocessor. Small, so the emulator stays fast on small shapes.
    /// </summary>
    public static CPUDevice CpuDevice { get; } = new(4, 16, 1);

    /// <summary>Opens a device of the requested kind.</summary>
    /// <exception cref="NoDeviceException"><paramref name="kind"/> is <see cref="DeviceKind.Cuda"/> and no CUDA device is present.</exception>
    public static DeviceHandle Open(DeviceKind kind = DeviceKind.Auto)
    {
        var context = Context.Create(builder =>
        {
            builder.CPU(CpuDevice);
            if (kind != DeviceKind.Cpu)
                builder.Cuda();
            builder.Optimize(OptimizationLevel.O1);
        });
        try
        {
            Accelerator accelerator;
            var cudaDevices = new List<CudaDevice>();
            if (kind != DeviceKind.Cpu)
            {
                foreach (var device in context.GetCudaDevices())
                    cudaDevices.Add(device);
            }
            if (cudaDevices.Count > 0)
            {
                accelerator = cudaDevices[0].CreateAccelerator(context);
            }
            else if (kind == DeviceKind.Cuda)
            {
                throw new NoDeviceException(
                    "No CUDA device found: WarmGate was asked for --device cuda, but ILGPU sees no CUDA " +
                    "driver or GPU on this machine. Use --device cpu (slow emulator) or auto.");
            }
            else
            {
                accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
            }
            return new DeviceHandle(context, accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Lists the devices ILGPU can see that WarmGate may use (CUDA and CPU), one line each.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        using var context = Context.Create(builder => builder.CPU(CpuDevice).Cuda());
        return context.Devices.Select(d => $"{d.AcceleratorType} {d.Name}").ToList();
    }
}

/// <summary>An open ILGPU context and accelerator; disposing it releases both.</summary>
public sealed class DeviceHandle : IDisposable
{
    internal DeviceHandle(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
        Signature = DeviceSignature.Of(accelerator);
    }

    /// <summary>The ILGPU context.</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The device's tuning signature.</summary>
    public DeviceSignature Signature { get; }

    /// <summary>Whether this is a CUDA device.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <inheritdoc/>
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
