using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>
/// The recurrent state of up to <see cref="Slots"/> sequences on the device: per layer a conv
/// state (conv_dim × (conv_kernel − 1) per slot) and an SSM state (heads × head_dim × state per slot).
/// </summary>
public sealed class Mamba2Cache : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] conv;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] ssm;

    internal Mamba2Cache(Accelerator accelerator, Mamba2Config config, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        Slots = slots;
        ConvSlotSize = config.ConvDim * (config.ConvKernel - 1);
        SsmSlotSize = config.NumHeads * config.HeadDim * config.StateSize;
        conv = new MemoryBuffer1D<float, Stride1D.Dense>[config.NumHiddenLayers];
        ssm = new MemoryBuffer1D<float, Stride1D.Dense>[config.NumHiddenLayers];
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            conv[i] = DeviceAllocations.Allocate1D<float>(accelerator, (long)slots * Math.Max(1, ConvSlotSize));
            ssm[i] = DeviceAllocations.Allocate1D<float>(accelerator, (long)slots * SsmSlotSize);
            conv[i].MemSetToZero();
            ssm[i].MemSetToZero();
        }
    }

    /// <summary>How many sequences the cache holds.</summary>
    public int Slots { get; }

    /// <summary>Elements of one slot's conv state in one layer.</summary>
    public int ConvSlotSize { get; }

    /// <summary>Elements of one slot's SSM state in one layer.</summary>
    public int SsmSlotSize { get; }

    /// <summary>The conv states of a layer (slots × conv slot size).</summary>
    public ArrayView<float> Conv(int layer) => conv[layer].View;

    /// <summary>The SSM states of a layer (slots × SSM slot size).</summary>
    public ArrayView<float> Ssm(int layer) => ssm[layer].View;

    /// <summary>Copies one slot's SSM state of a layer to the host (tests, debugging).</summary>
    public float[] ReadSsm(int layer, int slot)
    {
        var host = new float[SsmSlotSize];
        ssm[layer].View.SubView((long)slot * SsmSlotSize, SsmSlotSize).CopyToCPU(host);
        return host;
    }

    /// <summary>Checks that slot indices address this cache.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Slots"/>).</exception>
    public void CheckSlots(ReadOnlySpan<int> slots, string paramName)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if ((uint)slots[i] >= (uint)Slots)
                throw new ArgumentOutOfRangeException(paramName, slots[i], $"Slot index at position {i} is outside the cache's [0, {Slots}).");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var b in conv) b.Dispose();
        foreach (var b in ssm) b.Dispose();
    }
}
