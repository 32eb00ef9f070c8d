using System.Globalization;

namespace WarmGate.Kernels.Layers;

/// <summary>
/// A tile configuration of the GEMM: a group computes a <see cref="BM"/> × <see cref="BN"/>
/// tile, stepping <see cref="BK"/> along the reduction; each thread computes <see cref="TM"/>
/// rows (1, 2 or 4). Threads per group = BM / TM × BN.
/// </summary>
/// <param name="BM">Tile rows.</param>
/// <param name="BN">Tile columns.</param>
/// <param name="BK">Reduction step.</param>
/// <param name="TM">Rows per thread.</param>
public sealed record LinearConfig(int BM, int BN, int BK, int TM)
{
    /// <summary>Threads per group.</summary>
    public int Threads => BM / TM * BN;

    /// <summary>Dynamic shared memory in bytes.</summary>
    public int SharedBytes => BK * (BM + BN) * sizeof(float);

    /// <summary>Candidates for CUDA devices, in declaration order.</summary>
    public static IReadOnlyList<LinearConfig> CudaCandidates { get; } =
    [
        new(64, 64, 16, 4),
        new(32, 64, 16, 2),
        new(64, 32, 16, 2),
        new(16, 64, 16, 1),
        new(32, 32, 16, 4),
        new(128, 64, 16, 4),
    ];

    /// <summary>Candidates for the CPU accelerator (groups of at most 64 threads).</summary>
    public static IReadOnlyList<LinearConfig> CpuCandidates { get; } =
    [
        new(16, 16, 16, 4),
        new(8, 8, 8, 1),
    ];

    /// <summary>The candidates for a device kind.</summary>
    public static IReadOnlyList<LinearConfig> Candidates(bool cuda) => cuda ? CudaCandidates : CpuCandidates;

    /// <summary>Formats as <c>BM=64,BN=64,BK=16,TM=4</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"BM={BM},BN={BN},BK={BK},TM={TM}");

    /// <summary>Parses the <see cref="ToString"/> form.</summary>
    /// <exception cref="FormatException">The text is not a GEMM configuration.</exception>
    public static LinearConfig Parse(string text)
    {
        var values = ConfigText.Parse(text, "BM", "BN", "BK", "TM");
        return new LinearConfig(values[0], values[1], values[2], values[3]);
    }
}
