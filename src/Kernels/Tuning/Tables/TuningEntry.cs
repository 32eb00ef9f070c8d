using System.Globalization;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// One tuning result: for a kernel (at one version of its code and configuration space) and a
/// key, the configuration chosen, its time and every candidate's time.
/// </summary>
/// <remarks>
/// Equality compares every field, candidates included, element by element.
/// Construct entries freely; <see cref="TuningTable"/> and <see cref="TuningTableWriter"/>
/// validate them (<see cref="Problem"/> says what is wrong with one).
/// </remarks>
public sealed record TuningEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="kernel">The kernel id, e.g. <c>ssd.prefill</c>.</param>
    /// <param name="kernelHash">The version hash of the kernel's code and configuration space.</param>
    /// <param name="key">The tuning key; may be empty for a kernel without key parameters.</param>
    /// <param name="config">The configuration chosen, e.g. <c>Q=64,BP=16</c>.</param>
    /// <param name="milliseconds">The chosen configuration's median time in milliseconds.</param>
    /// <param name="candidates">Every candidate's time, in declaration order; null means none.</param>
    public TuningEntry(
        string kernel,
        string kernelHash,
        string key,
        string config,
        double milliseconds,
        IEnumerable<CandidateTiming>? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(kernelHash);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(config);
        Kernel = kernel;
        KernelHash = kernelHash;
        Key = key;
        Config = config;
        Milliseconds = milliseconds;
        Candidates = candidates is null ? [] : [.. candidates];
    }

    /// <summary>The kernel id, e.g. <c>ssd.prefill</c>.</summary>
    public string Kernel { get; }

    /// <summary>The version hash of the kernel's code and configuration space it was tuned with.</summary>
    public string KernelHash { get; }

    /// <summary>The tuning key.</summary>
    public string Key { get; }

    /// <summary>The configuration chosen.</summary>
    public string Config { get; }

    /// <summary>The chosen configuration's median time in milliseconds.</summary>
    public double Milliseconds { get; }

    /// <summary>
    /// Every candidate's time in declaration order; <see cref="double.NaN"/> milliseconds for a
    /// candidate that was pruned or failed (its <see cref="CandidateTiming.Note"/> says why).
    /// </summary>
    public IReadOnlyList<CandidateTiming> Candidates { get; }

    /// <summary>The (kernel, key) pair this entry is unique by within a table.</summary>
    public TuningEntryKey Id => new(Kernel, Key);

    /// <summary>
    /// The fastest candidate other than the chosen configuration that ran, or null when there
    /// is none.
    /// </summary>
    public CandidateTiming? RunnerUp
    {
        get
        {
            CandidateTiming? best = null;
            foreach (var c in Candidates)
            {
                if (c.Config == Config || !double.IsFinite(c.Milliseconds)) continue;
                if (best is null || c.Milliseconds < best.Milliseconds) best = c;
            }
            return best;
        }
    }

    /// <summary>
    /// What is wrong with this entry, or null when it is valid: the kernel id, hash and config
    /// must be non-empty, the time finite and not negative, each candidate's config non-empty
    /// and its time finite and not negative or NaN (pruned).
    /// </summary>
    public string? Problem => Check()?.Message;

    internal TuningTableRules.Problem? Check()
    {
        if (Kernel.Length == 0) return Empty("'kernel' is empty");
        if (KernelHash.Length == 0) return Empty("'kernelHash' is empty");
        if (Config.Length == 0) return Empty("'config' is empty; an entry must name the configuration it chose");
        if (!double.IsFinite(Milliseconds) || Milliseconds < 0)
            return Time($"'milliseconds' is {Exact(Milliseconds)}; a chosen configuration's time must be a finite number >= 0");
        for (var i = 0; i < Candidates.Count; i++)
        {
            var c = Candidates[i];
            if (c is null) return new(TuningTableError.MissingField, $"candidates[{i}] is null");
            if (c.Config.Length == 0) return Empty($"candidates[{i}]: 'config' is empty");
            if (double.IsInfinity(c.Milliseconds) || c.Milliseconds < 0)
                return Time($"candidates[{i}] ({c.Config}): 'milliseconds' is {Exact(c.Milliseconds)}; use a finite number >= 0, or null for a pruned candidate");
        }
        return null;

        static TuningTableRules.Problem Empty(string message) => new(TuningTableError.EmptyValue, message);
        static TuningTableRules.Problem Time(string message) => new(TuningTableError.InvalidTime, message);
    }

    /// <summary>Whether every field, candidates included, equals the other entry's.</summary>
    public bool Equals(TuningEntry? other) =>
        other is not null
        && Kernel == other.Kernel
        && KernelHash == other.KernelHash
        && Key == other.Key
        && Config == other.Config
        && Milliseconds.Equals(other.Milliseconds)
        && Candidates.SequenceEqual(other.Candidates);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kernel, KernelHash, Key, Config, Milliseconds, Candidates.Count);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kernel} [{Key}] -> {Config} {Format(Milliseconds)} ms";

    /// <summary>A time for people: 5 significant digits, invariant culture.</summary>
    internal static string Format(double milliseconds) =>
        milliseconds.ToString("G5", CultureInfo.InvariantCulture);

    private static string Exact(double milliseconds) =>
        milliseconds.ToString("R", CultureInfo.InvariantCulture);
}
