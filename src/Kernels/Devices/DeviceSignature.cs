using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Devices;

/// <summary>
/// What identifies a device for tuning purposes: a tuning table measured on one signature is
/// never applied on another.
/// </summary>
/// <param name="Backend">The ILGPU accelerator type, e.g. <c>Cuda</c> or <c>CPU</c>.</param>
/// <param name="Name">The device name, e.g. <c>NVIDIA H200</c>.</param>
/// <param name="Architecture">The architecture, e.g. <c>SM_90</c>; <c>cpu</c> for the CPU accelerator.</param>
/// <param name="Multiprocessors">The number of multiprocessors.</param>
/// <param name="Driver">The driver version, empty when not applicable.</param>
public sealed record DeviceSignature(
    string Backend, string Name, string Architecture, int Multiprocessors, string Driver)
{
    /// <summary>Reads the signature of an accelerator.</summary>
    public static DeviceSignature Of(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return accelerator switch
        {
            CudaAccelerator cuda => new DeviceSignature(
                "Cuda",
                cuda.Name,
                cuda.Architecture.ToString(),
                cuda.NumMultiprocessors,
                cuda.DriverVersion.ToString()),
            _ => new DeviceSignature(
                accelerator.AcceleratorType.ToString(),
                accelerator.Name,
                "cpu",
                accelerator.NumMultiprocessors,
                string.Empty),
        };
    }

    /// <summary>
    /// A short name safe for file and resource names: the device name with every character that
    /// is not a letter or digit replaced by '-', e.g. <c>NVIDIA-H200</c>.
    /// </summary>
    public string Slug
    {
        get
        {
            var chars = Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
            var slug = new string(chars).Trim('-');
            while (slug.Contains("--", StringComparison.Ordinal))
                slug = slug.Replace("--", "-", StringComparison.Ordinal);
            return slug.Length == 0 ? Backend : slug;
        }
    }

    /// <summary>Whether this signature describes the same device model as <paramref name="other"/> (driver ignored).</summary>
    public bool SameDevice(DeviceSignature other) =>
        other is not null
        && Backend == other.Backend
        && Name == other.Name
        && Architecture == other.Architecture
        && Multiprocessors == other.Multiprocessors;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Backend} {Name} ({Architecture}, {Multiprocessors} MPs{(Driver.Length > 0 ? ", driver " + Driver : string.Empty)})";
}
