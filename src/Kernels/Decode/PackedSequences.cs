using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// A varlen prefill batch: sequences packed token-major into one tensor, sequence <c>s</c>
/// owning tokens <c>[cuSeqlens[s], cuSeqlens[s+1])</c>, each with its cache slot (negative =
/// padding: nothing is written for that sequence). Checked on the host and uploaded once.
/// </summary>
public sealed class PackedSequences : IDisposable
{
    private readonly MemoryBuffer1D<int, Stride1D.Dense>? owned;
    private readonly ArrayView<int> offsets;
    private readonly int[] host;

    /// <summary>Checks the offsets and slots and uploads both.</summary>
    /// <param name="accelerator">Where they are uploaded.</param>
    /// <param name="cuSeqlens">nseq+1 token offsets: 0 first, strictly increasing (every sequence has a token).</param>
    /// <param name="slots">nseq cache slots, as for <see cref="CacheSlots"/>.</param>
    /// <param name="capacity">The slot count of the caches addressed.</param>
    /// <exception cref="ArgumentException">The offsets or slots break a rule.</exception>
    public PackedSequences(Accelerator accelerator, ReadOnlySpan<int> cuSeqlens, ReadOnlySpan<int> slots, int capacity)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Validate(cuSeqlens, nameof(cuSeqlens));
        if (slots.Length != cuSeqlens.Length - 1)
        {
            throw DecodeChecks.Error(nameof(slots), "One slot per sequence",
                $"{cuSeqlens.Length - 1} slots (cuSeqlens.Length - 1)", $"{slots.Length}");
        }
        host = cuSeqlens.ToArray();
        Slots = new CacheSlots(accelerator, slots, capacity);
        owned = accelerator.Allocate1D(host);
        offsets = owned.View;
    }

    /// <summary>
    /// Checks the offsets and wraps device views that already hold them and the slots (a
    /// caller's reusable buffer, not owned: disposing this object leaves it alone). Allocates
    /// and uploads nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The offsets or slots break a rule, or a view has another length.</exception>
    internal PackedSequences(ReadOnlySpan<int> cuSeqlens, ArrayView<int> uploadedCuSeqlens, CacheSlots slots)
    {
        Validate(cuSeqlens, nameof(cuSeqlens));
        if (slots.Count != cuSeqlens.Length - 1)
        {
            throw DecodeChecks.Error(nameof(slots), "One slot per sequence",
                $"{cuSeqlens.Length - 1} slots (cuSeqlens.Length - 1)", $"{slots.Count}");
        }
        if (uploadedCuSeqlens.Length != cuSeqlens.Length)
            throw new ArgumentException($"The uploaded view has {uploadedCuSeqlens.Length} offsets; {cuSeqlens.Length} were given.", nameof(uploadedCuSeqlens));
        host = cuSeqlens.ToArray();
        Slots = slots;
        offsets = uploadedCuSeqlens;
    }

    /// <summary>The number of sequences.</summary>
    public int SequenceCount => host.Length - 1;

    /// <summary>T: the total token count.</summary>
    public int TokenCount => host[^1];

    /// <summary>The offsets as given.</summary>
    public ReadOnlySpan<int> CuSeqlens => host;

    /// <summary>The offsets on the device (nseq+1 elements).</summary>
    public ArrayView<int> CuSeqlensView => offsets;

    /// <summary>The slot of each sequence.</summary>
    public CacheSlots Slots { get; }

    /// <summary>Checks varlen offsets: at least two, the first 0, strictly increasing.</summary>
    /// <exception cref="ArgumentException">The offsets break a rule; <c>ParamName</c> is <paramref name="paramName"/>.</exception>
    public static void Validate(ReadOnlySpan<int> cuSeqlens, string paramName)
    {
        if (cuSeqlens.Length < 2)
            throw DecodeChecks.Error(paramName, "Varlen offsets", "nseq+1 >= 2 offsets", $"{cuSeqlens.Length}");
        if (cuSeqlens[0] != 0)
            throw DecodeChecks.Error(paramName, "The first varlen offset", "0", $"{cuSeqlens[0]}");
        for (var s = 0; s + 1 < cuSeqlens.Length; s++)
        {
            if (cuSeqlens[s + 1] <= cuSeqlens[s])
            {
                throw DecodeChecks.Error(paramName, $"Sequence {s} is empty or reversed",
                    $"cuSeqlens[{s + 1}] > cuSeqlens[{s}] = {cuSeqlens[s]}", $"{cuSeqlens[s + 1]}");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        owned?.Dispose();
        Slots.Dispose();
    }
}
