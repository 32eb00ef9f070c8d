using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// Allocates device buffers for WarmGate's serving path (model workspaces, caches, index
/// buffers, SSD intermediates) and counts them per accelerator, so that "a warmed request
/// allocates nothing" is something tests can check rather than hope for.
/// </summary>
/// <remarks>
/// Only allocations made through this class are counted: weights and tuning scratch buffers
/// allocated elsewhere are not part of the serving path.
/// </remarks>
internal static class DeviceAllocations
{
    private static readonly ConditionalWeakTable<Accelerator, StrongBox<long>> Counts = new();

    /// <summary>How many device buffers have been allocated on <paramref name="accelerator"/> through this class.</summary>
    public static long Count(Accelerator accelerator) => Volatile.Read(ref CounterOf(accelerator).Value);

    /// <summary>Allocates <paramref name="length"/> elements (at least one) and counts the allocation.</summary>
    public static MemoryBuffer1D<T, Stride1D.Dense> Allocate1D<T>(Accelerator accelerator, long length)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(Math.Max(1, length));
        Interlocked.Increment(ref CounterOf(accelerator).Value);
        return buffer;
    }

    private static StrongBox<long> CounterOf(Accelerator accelerator) =>
        Counts.GetValue(accelerator, static _ => new StrongBox<long>());
}
