using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// How the state-update kernel is tiled: a group of <see cref="GroupSize"/> threads owns
/// <see cref="RowsPerGroup"/> rows (p) of one head of one sequence (a "tile"); the
/// <see cref="LanesPerRow"/> threads of a row share its N state elements (in 4-element vectors
/// when 4·L divides N, so each lane holds N/(4·L) of them) and reduce <c>Σ_n state·C</c> with
/// warp shuffles (through shared memory when L exceeds the warp). Each lane loads up to
/// <see cref="VectorsPerPass"/> vectors before it uses any. With <see cref="ItemsPerGroup"/> above
/// 1 a group walks that many consecutive tiles and loads the next tile's state before it updates
/// the current one. With <see cref="StreamingHints"/> an fp32 state is written with evict-first
/// cache hints on CUDA. Written <c>GS=128,TP=32</c>, with <c>VP=..</c>, <c>IT=..</c>
/// and <c>CS=1</c> appended when they differ from 4, 1 and 0.
/// </summary>
public sealed record StateUpdateConfig
{
    /// <summary>The vectors per pass when none is given (the kernel's behaviour before VP existed).</summary>
    public const int DefaultVectorsPerPass = 4;

    /// <summary>The largest <see cref="ItemsPerGroup"/>.</summary>
    public const int MaxItemsPerGroup = 64;

    /// <summary>Creates and checks a configuration.</summary>
    /// <param name="groupSize">Threads per group: a power of two from 1 to 256.</param>
    /// <param name="rowsPerGroup">State rows per group: a power of two, at most <paramref name="groupSize"/>.</param>
    /// <param name="vectorsPerPass">VP: 4-element state vectors a lane loads before using any: 1, 2, 4 or 8.</param>
    /// <param name="itemsPerGroup">IT: tiles a group walks in turn, a power of two from 1 to <see cref="MaxItemsPerGroup"/>.</param>
    /// <param name="streamingHints">CS: write an fp32 state with evict-first (<c>st.global.cs</c>) hints on CUDA.</param>
    /// <exception cref="ArgumentException">A value is not a power of two in range.</exception>
    public StateUpdateConfig(
        int groupSize, int rowsPerGroup, int vectorsPerPass = DefaultVectorsPerPass, int itemsPerGroup = 1, bool streamingHints = false)
    {
        ConfigText.PowerOfTwo(groupSize, 256, nameof(groupSize), "Group size GS");
        ConfigText.PowerOfTwo(rowsPerGroup, groupSize, nameof(rowsPerGroup), "Rows per group TP");
        ConfigText.PowerOfTwo(vectorsPerPass, 8, nameof(vectorsPerPass), "Vectors per pass VP");
        ConfigText.PowerOfTwo(itemsPerGroup, MaxItemsPerGroup, nameof(itemsPerGroup), "Tiles per group IT");
        GroupSize = groupSize;
        RowsPerGroup = rowsPerGroup;
        VectorsPerPass = vectorsPerPass;
        ItemsPerGroup = itemsPerGroup;
        StreamingHints = streamingHints;
    }

    /// <summary>GS: threads per group.</summary>
    public int GroupSize { get; }

    /// <summary>TP: state rows (head-dim channels) per group.</summary>
    public int RowsPerGroup { get; }

    /// <summary>VP: the 4-element state vectors a lane loads back to back before it uses any (more bytes in flight, more registers).</summary>
    public int VectorsPerPass { get; }

    /// <summary>
    /// IT: consecutive tiles (TP rows of one head of one sequence) a group updates in turn. Above 1,
    /// the next tile's state loads are issued before the current tile is updated, B and C are
    /// staged once per (sequence, B/C group) rather than once per tile, and the grid is IT times smaller.
    /// </summary>
    public int ItemsPerGroup { get; }

    /// <summary>
    /// CS: the vector path writes an fp32 state with <c>st.global.cs</c> (inline PTX, CUDA only; the
    /// CPU accelerator and an fp16 state use plain stores; loads are plain).
    /// </summary>
    public bool StreamingHints { get; }

    /// <summary>GS/TP: the threads that share one row and reduce over N.</summary>
    public int LanesPerRow => GroupSize / RowsPerGroup;

    /// <summary>The configuration used when none is given or tuned.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator).</param>
    public static StateUpdateConfig Default(bool cuda) => Candidates(cuda)[0];

    /// <summary>The configurations an autotuner should try, best guess first.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator, at most 64 threads a group).</param>
    public static IReadOnlyList<StateUpdateConfig> Candidates(bool cuda) => cuda ? CudaCandidates : CpuCandidates;

    /// <summary>Parses the text written by <see cref="ToString"/>, e.g. <c>GS=128,TP=4</c> or <c>GS=128,TP=32,VP=8,IT=4,CS=1</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static StateUpdateConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // VP, IT and CS are optional: the names a text must give are GS, TP and whichever of them it mentions.
        var names = new List<string> { "GS", "TP" };
        foreach (var optional in new[] { "VP", "IT", "CS" })
        {
            if (text.Split(',').Any(part => part.Split('=')[0].Trim().Equals(optional, StringComparison.OrdinalIgnoreCase)))
                names.Add(optional);
        }
        var v = ConfigText.Parse(text, "state-update", [.. names]);
        var vp = names.IndexOf("VP") is var i and >= 0 ? v[i] : DefaultVectorsPerPass;
        var it = names.IndexOf("IT") is var j and >= 0 ? v[j] : 1;
        var cs = names.IndexOf("CS") is var k and >= 0 ? v[k] : 0;
        if (cs is not (0 or 1))
            throw DecodeChecks.Error("streamingHints", "Streaming hints CS", "0 or 1", cs.ToString(CultureInfo.InvariantCulture));
        return new StateUpdateConfig(v[0], v[1], vp, it, cs == 1);
    }

    /// <summary>The configuration as <c>GS=..,TP=..</c>, then <c>VP=..</c> unless 4, <c>IT=..</c> unless 1 and <c>CS=1</c> when set.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"GS={GroupSize},TP={RowsPerGroup}");
        if (VectorsPerPass != DefaultVectorsPerPass) text += string.Create(CultureInfo.InvariantCulture, $",VP={VectorsPerPass}");
        if (ItemsPerGroup != 1) text += string.Create(CultureInfo.InvariantCulture, $",IT={ItemsPerGroup}");
        if (StreamingHints) text += ",CS=1";
        return text;
    }

    private static readonly StateUpdateConfig[] CpuCandidates = [new(64, 4), new(32, 2), new(64, 16)];

    // Measured on an H200 (eng/bench/2026-11-29-h200-decode-tilings.md), H=80 P=64 N=128 fp32, batch 256:
    // GS=128,TP=32 344 µs, GS=256,TP=64 346, GS=64,TP=16 348 (L = 4: eight 16-byte vectors a lane),
    // GS=128,TP=16 366, GS=256,TP=32 370 (L = 8), GS=128,TP=8 395 (L = 16), GS=64,TP=8 428;
    // GS=128,TP=64 (L = 2) is untimed. The kernel before the rewrite took 752 µs at GS=128,TP=4.
    // The VP/IT variants after them are untimed (issue 7): VP=8 issues all eight vectors of a lane
    // (L = 4, N = 128) back to back in one pass; IT walks several tiles per group, loading the next
    // tile's state before updating the current one, with B and C staged once per group; CS=1 writes
    // the state with evict-first (st.global.cs) stores.
    private static readonly StateUpdateConfig[] CudaCandidates =
    [
        new(128, 32), new(256, 64), new(64, 16), new(128, 16), new(256, 32), new(128, 8), new(64, 8), new(128, 64),
        new(128, 32, 8), new(64, 16, 8), new(256, 64, 8),
        new(128, 32, 8, 2), new(128, 32, 8, 4), new(128, 32, 8, 8), new(64, 16, 8, 4), new(256, 64, 8, 4),
        new(128, 16, 4, 4), new(256, 32, 4, 4), new(128, 32, 4, 4), new(128, 64, 8, 2),
        new(256, 64, 4, 1, true), new(128, 32, 8, 1, true), new(128, 32, 8, 4, true),
    ];
}
