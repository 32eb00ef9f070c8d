namespace WarmGate.Kernels.Tuning;

/// <summary>What <see cref="TableMerge"/> does when two tables of one device disagree on a (kernel, key).</summary>
public enum MergePreference
{
    /// <summary>Refuse: throw a <see cref="TableMergeException"/> listing every conflict.</summary>
    Refuse,

    /// <summary>Keep the entry of the earlier table in the input order.</summary>
    First,

    /// <summary>Keep the entry of the later table in the input order.</summary>
    Second,

    /// <summary>Keep the entry with the smaller time (the earlier one on a tie).</summary>
    Faster,
}

/// <summary>Two tables of the same device chose differently for one (kernel, key).</summary>
/// <param name="First">The entry of the earlier table.</param>
/// <param name="FirstSource">Where the earlier table came from.</param>
/// <param name="Second">The entry of the later table.</param>
/// <param name="SecondSource">Where the later table came from.</param>
public sealed record TableConflict(TuningEntry First, string FirstSource, TuningEntry Second, string SecondSource)
{
    /// <summary>The (kernel, key) the tables disagree on.</summary>
    public TuningEntryKey Id => First.Id;

    /// <summary>One line naming the kernel, key and both choices with their times, hashes and sources.</summary>
    public override string ToString()
    {
        var text = $"{First.Kernel} [{First.Key}]: {First.Config} ({TuningEntry.Format(First.Milliseconds)} ms) in {FirstSource}"
            + $" vs {Second.Config} ({TuningEntry.Format(Second.Milliseconds)} ms) in {SecondSource}";
        if (First.KernelHash != Second.KernelHash)
            text += $"; kernel hashes differ ({First.KernelHash} vs {Second.KernelHash})";
        return text;
    }
}

/// <summary>Tables could not be merged: they conflict, or they were measured with different ILGPU versions.</summary>
public sealed class TableMergeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="conflicts">The entry conflicts; empty for a header mismatch.</param>
    public TableMergeException(string message, IReadOnlyList<TableConflict> conflicts)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        Conflicts = conflicts;
    }

    /// <summary>Every (kernel, key) the tables disagree on; empty when the refusal is about the headers.</summary>
    public IReadOnlyList<TableConflict> Conflicts { get; }
}
