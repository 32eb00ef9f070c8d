namespace WarmGate.Kernels.Tuning;

/// <summary>What a tuning table entry is unique by: the kernel id and the tuning key.</summary>
/// <param name="Kernel">The kernel id, e.g. <c>ssd.prefill</c>.</param>
/// <param name="Key">The tuning key, e.g. <c>P=64,N=128,Q=256,G=1,T=f16</c>.</param>
public readonly record struct TuningEntryKey(string Kernel, string Key) : IComparable<TuningEntryKey>
{
    /// <summary>Orders by kernel, then key, both ordinal: the order entries are written in.</summary>
    public int CompareTo(TuningEntryKey other)
    {
        var byKernel = string.CompareOrdinal(Kernel, other.Kernel);
        return byKernel != 0 ? byKernel : string.CompareOrdinal(Key, other.Key);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kernel} [{Key}]";

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(TuningEntryKey left, TuningEntryKey right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(TuningEntryKey left, TuningEntryKey right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(TuningEntryKey left, TuningEntryKey right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(TuningEntryKey left, TuningEntryKey right) => left.CompareTo(right) >= 0;
}
