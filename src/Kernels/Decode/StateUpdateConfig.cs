using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// How the state-update kernel is tiled: a group of <see cref="GroupSize"/> threads owns
/// <see cref="RowsPerGroup"/> rows (p) of one head of one sequence; the
/// <see cref="LanesPerRow"/> threads of a row share its N state elements (in 4-element vectors
/// when 4·L divides N, so each lane holds N/(4·L) of them) and reduce <c>Σ_n state·C</c> with
/// warp shuffles (through shared memory when L exceeds the warp). Written <c>GS=128,TP=32</c>.
/// </summary>
public sealed record StateUpdateConfig
{
    /// <summary>Creates and checks a configuration.</summary>
    /// <param name="groupSize">Threads per group: a power of two from 1 to 256.</param>
    /// <param name="rowsPerGroup">State rows per group: a power of two, at most <paramref name="groupSize"/>.</param>
    /// <exception cref="ArgumentException">A value is not a power of two in range.</exception>
    public StateUpdateConfig(int groupSize, int rowsPerGroup)
    {
        ConfigText.PowerOfTwo(groupSize, 256, nameof(groupSize), "Group size GS");
        ConfigText.PowerOfTwo(rowsPerGroup, groupSize, nameof(rowsPerGroup), "Rows per group TP");
        GroupSize = groupSize;
        RowsPerGroup = rowsPerGroup;
    }

    /// <summary>GS: threads per group.</summary>
    public int GroupSize { get; }

    /// <summary>TP: state rows (head-dim channels) per group.</summary>
    public int RowsPerGroup { get; }

    /// <summary>GS/TP: the threads that share one row and reduce over N.</summary>
    public int LanesPerRow => GroupSize / RowsPerGroup;

    /// <summary>The configuration used when none is given or tuned.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator).</param>
    public static StateUpdateConfig Default(bool cuda) => Candidates(cuda)[0];

    /// <summary>The configurations an autotuner should try, best guess first.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator, at most 64 threads a group).</param>
    public static IReadOnlyList<StateUpdateConfig> Candidates(bool cuda) => cuda ? CudaCandidates : CpuCandidates;

    /// <summary>Parses the text written by <see cref="ToString"/>, e.g. <c>GS=128,TP=4</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static StateUpdateConfig Parse(string text)
    {
        var v = ConfigText.Parse(text, "state-update", "GS", "TP");
        return new StateUpdateConfig(v[0], v[1]);
    }

    /// <summary>The configuration as <c>GS=..,TP=..</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"GS={GroupSize},TP={RowsPerGroup}");

    private static readonly StateUpdateConfig[] CpuCandidates = [new(64, 4), new(32, 2), new(64, 16)];

    // Measured on an H200 (eng/bench/2026-11-29-h200-decode-tilings.md), H=80 P=64 N=128 fp32, batch 256:
    // GS=128,TP=32 344 µs, GS=256,TP=64 346, GS=64,TP=16 348 (L = 4: eight 16-byte vectors a lane),
    // GS=128,TP=16 366, GS=256,TP=32 370 (L = 8), GS=128,TP=8 395 (L = 16), GS=64,TP=8 428;
    // GS=128,TP=64 (L = 2) is untimed. The kernel before the rewrite took 752 µs at GS=128,TP=4.
    private static readonly StateUpdateConfig[] CudaCandidates =
    [
        new(128, 32), new(256, 64), new(64, 16), new(128, 16), new(256, 32), new(128, 8), new(64, 8), new(128, 64),
    ];
}
