using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// How the conv1d prefill kernel is tiled: groups of <see cref="GroupSize"/> threads, each thread
/// one channel of <see cref="TokensPerThread"/> consecutive tokens. Written <c>GS=128,TT=2</c>.
/// </summary>
public sealed record ConvPrefillConfig
{
    /// <summary>Creates and checks a configuration.</summary>
    /// <param name="groupSize">Threads per group: a power of two from 1 to 256.</param>
    /// <param name="tokensPerThread">Tokens per thread: a power of two from 1 to 256.</param>
    /// <exception cref="ArgumentException">A value is not a power of two in range.</exception>
    public ConvPrefillConfig(int groupSize, int tokensPerThread)
    {
        ConfigText.PowerOfTwo(groupSize, 256, nameof(groupSize), "Group size GS");
        ConfigText.PowerOfTwo(tokensPerThread, 256, nameof(tokensPerThread), "Tokens per thread TT");
        GroupSize = groupSize;
        TokensPerThread = tokensPerThread;
    }

    /// <summary>GS: threads per group.</summary>
    public int GroupSize { get; }

    /// <summary>TT: consecutive tokens of one channel per thread.</summary>
    public int TokensPerThread { get; }

    /// <summary>The configuration used when none is given or tuned.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device.</param>
    public static ConvPrefillConfig Default(bool cuda) => Candidates(cuda)[0];

    /// <summary>The configurations an autotuner should try, best guess first.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator, at most 64 threads a group).</param>
    public static IReadOnlyList<ConvPrefillConfig> Candidates(bool cuda) => cuda ? CudaCandidates : CpuCandidates;

    /// <summary>Parses the text written by <see cref="ToString"/>, e.g. <c>GS=128,TT=2</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static ConvPrefillConfig Parse(string text)
    {
        var v = ConfigText.Parse(text, "conv1d prefill", "GS", "TT");
        return new ConvPrefillConfig(v[0], v[1]);
    }

    /// <summary>The configuration as <c>GS=..,TT=..</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"GS={GroupSize},TT={TokensPerThread}");

    private static readonly ConvPrefillConfig[] CpuCandidates = [new(64, 1), new(32, 2), new(64, 4)];

    private static readonly ConvPrefillConfig[] CudaCandidates =
    [
        new(128, 1), new(256, 1), new(64, 1), new(128, 2), new(256, 2), new(128, 4), new(256, 4),
    ];
}
