using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// How the conv1d update kernel is tiled: groups of <see cref="GroupSize"/> threads, one thread
/// per (sequence, channel). Written <c>GS=128</c>.
/// </summary>
public sealed record ConvUpdateConfig
{
    /// <summary>Creates and checks a configuration.</summary>
    /// <param name="groupSize">Threads per group: a power of two from 1 to 256.</param>
    /// <exception cref="ArgumentException">The value is not a power of two in range.</exception>
    public ConvUpdateConfig(int groupSize)
    {
        ConfigText.PowerOfTwo(groupSize, 256, nameof(groupSize), "Group size GS");
        GroupSize = groupSize;
    }

    /// <summary>GS: threads per group.</summary>
    public int GroupSize { get; }

    /// <summary>The configuration used when none is given or tuned.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device.</param>
    public static ConvUpdateConfig Default(bool cuda) => Candidates(cuda)[0];

    /// <summary>The configurations an autotuner should try, best guess first.</summary>
    /// <param name="cuda">Whether the accelerator is a CUDA device (else ILGPU's CPU accelerator, at most 64 threads a group).</param>
    public static IReadOnlyList<ConvUpdateConfig> Candidates(bool cuda) => cuda ? CudaCandidates : CpuCandidates;

    /// <summary>Parses the text written by <see cref="ToString"/>, e.g. <c>GS=128</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    /// <exception cref="ArgumentException">The value is out of range.</exception>
    public static ConvUpdateConfig Parse(string text) => new(ConfigText.Parse(text, "conv1d update", "GS")[0]);

    /// <summary>The configuration as <c>GS=..</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"GS={GroupSize}");

    private static readonly ConvUpdateConfig[] CpuCandidates = [new(64), new(32)];

    private static readonly ConvUpdateConfig[] CudaCandidates = [new(128), new(64), new(256), new(32)];
}
