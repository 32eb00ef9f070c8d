using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The cache slot of each sequence of a batch, checked on the host and uploaded once, so that
/// every layer's launches can use it without checking again. A negative index marks a padding
/// row: operations write nothing for it. Non-negative indices must be below
/// <see cref="Capacity"/> and distinct (two rows updating one slot would race).
/// </summary>
public sealed class CacheSlots : IDisposable
{
    private readonly MemoryBuffer1D<int, Stride1D.Dense>? owned;
    private readonly ArrayView<int> device;
    private readonly int[] host;

    /// <summary>Checks <paramref name="slots"/> and uploads them to <paramref name="accelerator"/>.</summary>
    /// <param name="accelerator">Where the indices are uploaded.</param>
    /// <param name="slots">One index per sequence; negative means padding.</param>
    /// <param name="capacity">The number of slots of the caches these indices address.</param>
    /// <exception cref="ArgumentException">An index is at or above <paramref name="capacity"/>, or two rows share a slot.</exception>
    public CacheSlots(Accelerator accelerator, ReadOnlySpan<int> slots, int capacity)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Validate(slots, capacity, nameof(slots));
        host = slots.ToArray();
        Capacity = capacity;
        owned = accelerator.Allocate1D<int>(Math.Max(host.Length, 1));
        device = owned.View.SubView(0, host.Length);
        if (host.Length > 0)
            device.CopyFromCPU(host);
    }

    /// <summary>
    /// Checks <paramref name="slots"/> and wraps <paramref name="uploaded"/>, a device view that
    /// already holds exactly these indices (a caller's reusable buffer, not owned: disposing this
    /// object leaves it alone). Allocates and uploads nothing.
    /// </summary>
    /// <exception cref="ArgumentException">An index breaks a rule, or <paramref name="uploaded"/> has another length.</exception>
    internal CacheSlots(ReadOnlySpan<int> slots, ArrayView<int> uploaded, int capacity)
    {
        Validate(slots, capacity, nameof(slots));
        if (uploaded.Length != slots.Length)
            throw new ArgumentException($"The uploaded view has {uploaded.Length} indices; {slots.Length} slots were given.", nameof(uploaded));
        host = slots.ToArray();
        Capacity = capacity;
        device = uploaded;
    }

    /// <summary>The number of sequences (rows), padding rows included.</summary>
    public int Count => host.Length;

    /// <summary>The slot count of the caches these indices address (every index is below it).</summary>
    public int Capacity { get; }

    /// <summary>The indices as given.</summary>
    public ReadOnlySpan<int> Indices => host;

    /// <summary>The indices on the device (<see cref="Count"/> elements).</summary>
    public ArrayView<int> View => device;

    /// <summary>
    /// Checks slot indices: each is negative (padding) or in [0, <paramref name="capacity"/>),
    /// and no non-negative index appears twice.
    /// </summary>
    /// <exception cref="ArgumentException">The indices break a rule; <c>ParamName</c> is <paramref name="paramName"/>.</exception>
    public static void Validate(ReadOnlySpan<int> slots, int capacity, string paramName)
    {
        DecodeChecks.AtLeast(capacity, 1, nameof(capacity), "Cache slot count");
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (slot < 0) continue;
            if (slot >= capacity)
            {
                throw DecodeChecks.Error(paramName, $"Slot index of row {i} is outside the cache",
                    $"a negative index (padding) or one in [0, {capacity})", slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (!seen.TryAdd(slot, i))
            {
                throw DecodeChecks.Error(paramName, $"Rows {seen[slot]} and {i} both use slot {slot}",
                    "distinct non-negative slots in one batch", $"slot {slot} twice");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => owned?.Dispose();
}
