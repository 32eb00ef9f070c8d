using System.Globalization;
using System.Text;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The tunable configuration of an SSD prefill: the internal chunk size Q and each stage's tile
/// and group sizes, all powers of two. The result does not depend on it (up to rounding), so any
/// valid config may be chosen by the tuner. Its string form (<see cref="ToString"/>) is what
/// tuning tables store; <see cref="Parse"/> reads it back.
/// <para>
/// <see cref="TensorCores"/> (<c>TC=1</c>) runs chunk_scan, chunk_state and bmm on tensor cores with
/// fp32 accumulators: fp16 operands for fp16 inputs, TF32 operands (10-bit mantissa, fp32 range, as
/// upstream's TF32 dots) for fp32 inputs. Their tiles (YT × YP, SP × SN, BI × BJ) are then multiples
/// of the 32 × 32 warp tile, one warp each. The tuner never picks a tensor-core config off CUDA
/// (<see cref="WhyNotRun"/>); a <c>TC=0</c> config keeps every product in fp32.
/// </para>
/// </summary>
/// <param name="ChunkSize">Q, the internal chunk size (<c>Q</c>), 1 to 256.</param>
/// <param name="CumsumHeads">Threads per group of <c>ssd.cumsum</c> (<c>CH</c>); min(CH, Q) lanes scan one head, CH / min(CH, Q) heads a group.</param>
/// <param name="StateTileP">Head-dim rows per <c>ssd.chunk_state</c> group (<c>SP</c>).</param>
/// <param name="StateTileN">State columns per <c>ssd.chunk_state</c> group (<c>SN</c>); each thread owns up to 8 × 8 (p, n).</param>
/// <param name="PassingBlock">State elements per <c>ssd.state_passing</c> group (<c>PB</c>).</param>
/// <param name="BmmTileI">Rows i per <c>ssd.bmm</c> group (<c>BI</c>).</param>
/// <param name="BmmTileJ">Columns j per <c>ssd.bmm</c> group (<c>BJ</c>); one thread per (i, j).</param>
/// <param name="ScanTileRows">Token rows per <c>ssd.chunk_scan</c> group (<c>YT</c>).</param>
/// <param name="ScanTileP">Head-dim columns per <c>ssd.chunk_scan</c> group (<c>YP</c>); each thread owns up to 8 × 8 (row, p).</param>
public sealed record SsdPrefillConfig(
    int ChunkSize,
    int CumsumHeads,
    int StateTileP,
    int StateTileN,
    int PassingBlock,
    int BmmTileI,
    int BmmTileJ,
    int ScanTileRows,
    int ScanTileP)
{
    /// <summary>The largest chunk size and tile size a kernel constant can express.</summary>
    public const int MaxTile = 256;

    /// <summary>The smallest tile side of a tensor-core stage (one warp tile).</summary>
    public const int MinTensorCoreTile = 32;

    private const string TensorCoresName = "TC";

    private static readonly string[] Names = ["Q", "CH", "SP", "SN", "PB", "BI", "BJ", "YT", "YP"];

    /// <summary>
    /// Whether chunk_scan, chunk_state and bmm run on tensor cores (<c>TC</c>, 0 or 1 in the string
    /// form): fp16 products for fp16 inputs, TF32 products for fp32 inputs.
    /// </summary>
    public bool TensorCores { get; init; }

    /// <summary>The threads of the largest group any stage launches.</summary>
    public int MaxGroupSize =>
        Math.Max(Math.Max(CumsumHeads, PassingBlock), Math.Max(ChunkStateGroupSize, Math.Max(BmmGroupSize, ChunkScanGroupSize)));

    /// <summary>Threads per <c>ssd.chunk_state</c> group.</summary>
    internal int ChunkStateGroupSize => TensorCores
        ? SsdTcChunkStateKernel.GroupSize(this)
        : SsdChunkStateKernel.GroupSize(this);

    /// <summary>Threads per <c>ssd.bmm</c> group.</summary>
    internal int BmmGroupSize => TensorCores ? SsdTcBmmKernel.GroupSize(this) : BmmTileI * BmmTileJ;

    /// <summary>Threads per <c>ssd.chunk_scan</c> group.</summary>
    internal int ChunkScanGroupSize => TensorCores
        ? SsdTcChunkScanKernel.GroupSize(this)
        : SsdChunkScanKernel.GroupSize(this);

    /// <summary>
    /// Why the tuner must not pick this config for a device, or null if it may: a group too large
    /// for the device, or tensor cores off CUDA.
    /// </summary>
    /// <param name="cuda">Whether the device is a CUDA device.</param>
    /// <param name="maxThreadsPerGroup">The device's largest group.</param>
    public string? WhyNotRun(bool cuda, int maxThreadsPerGroup) =>
        !Fits(maxThreadsPerGroup) ? $"needs more than {maxThreadsPerGroup} threads a group"
        : TensorCores && !cuda ? "tensor cores need a CUDA device (the CPU accelerator only emulates them)"
        : null;

    /// <summary>
    /// A default that runs on every device: SIMT kernels with Q=64, 64 × 128 chunk_state and 64 × 64
    /// chunk_scan tiles on CUDA, groups of at most 64 threads on the CPU accelerator. It needs no
    /// tensor cores (mma.sync needs sm_80); on the H200 the tuner picks a tensor-core config about 3×
    /// faster, so a tuning table is what makes a CUDA run fast.
    /// </summary>
    public static SsdPrefillConfig Default(bool cuda) => cuda
        ? new(64, 32, 64, 128, 256, 16, 16, 64, 64)
        : new(16, 4, 4, 16, 64, 8, 8, 8, 8);

    /// <summary>
    /// The candidates a tuner tries, default first (ties go to the earlier one). The CPU list is
    /// small (Q in {16, 32}, groups of at most 64 threads, SIMT only); the CUDA list is larger and
    /// includes tensor-core configs with Q = 64, 128 and 256.
    /// </summary>
    public static IReadOnlyList<SsdPrefillConfig> Candidates(bool cuda) => cuda
        ?
        [
            Default(true),
            new(128, 32, 64, 128, 256, 16, 16, 128, 64),
            new(256, 32, 64, 128, 256, 16, 16, 256, 64),
            new(256, 32, 64, 128, 256, 16, 16, 128, 64),
            new(128, 32, 64, 64, 256, 16, 16, 64, 64),
            new(64, 32, 64, 64, 256, 16, 16, 64, 64),
            new(128, 32, 32, 64, 128, 16, 16, 32, 64),
            new(32, 32, 32, 64, 128, 16, 16, 32, 64),
            Tc(new(64, 32, 64, 128, 256, 64, 64, 64, 64)),
            Tc(new(128, 32, 64, 128, 256, 64, 64, 64, 64)),
            Tc(new(128, 32, 64, 128, 256, 64, 64, 128, 64)),
            Tc(new(128, 32, 64, 64, 256, 32, 32, 64, 64)),
            Tc(new(256, 32, 64, 128, 256, 64, 64, 128, 64)),
            Tc(new(256, 32, 64, 128, 256, 64, 64, 64, 64)),
            Tc(new(256, 32, 64, 64, 256, 64, 64, 64, 64)),
            Tc(new(256, 32, 32, 128, 256, 128, 64, 128, 32)),
        ]
        :
        [
            Default(false),
            new(32, 4, 16, 16, 64, 8, 8, 16, 16),
            new(16, 8, 8, 8, 32, 4, 16, 4, 16),
            new(32, 16, 8, 8, 64, 8, 8, 16, 4),
        ];

    private static SsdPrefillConfig Tc(SsdPrefillConfig config) => config with { TensorCores = true };

    /// <summary>Whether every group fits in <paramref name="maxThreadsPerGroup"/> threads.</summary>
    public bool Fits(int maxThreadsPerGroup) => MaxGroupSize <= maxThreadsPerGroup;

    /// <summary>Throws unless every size is a power of two from 1 to 256 and every group fits the device.</summary>
    /// <param name="maxThreadsPerGroup">The device's largest group (<c>Accelerator.MaxNumThreadsPerGroup</c>).</param>
    /// <param name="paramName">The argument name the exception carries.</param>
    /// <exception cref="ArgumentException">A size is not a power of two in [1, 256], or a group is too large for the device.</exception>
    public void Validate(int maxThreadsPerGroup, string paramName = "config")
    {
        var values = Values();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 1 || values[i] > MaxTile || (values[i] & (values[i] - 1)) != 0)
                throw new ArgumentException(
                    $"SSD config '{this}': {Names[i]}={values[i]} must be a power of two from 1 to {MaxTile}.",
                    paramName);
        }
        if (TensorCores)
        {
            (string Name, int Value)[] tiles =
                [("SP", StateTileP), ("SN", StateTileN), ("BI", BmmTileI), ("BJ", BmmTileJ), ("YT", ScanTileRows), ("YP", ScanTileP)];
            foreach (var (name, value) in tiles)
            {
                if (value < MinTensorCoreTile)
                    throw new ArgumentException(
                        $"SSD config '{this}': with TC=1, {name}={value} must be at least {MinTensorCoreTile} (one 32 × 32 warp tile).",
                        paramName);
            }
        }
        if (!Fits(maxThreadsPerGroup))
            throw new ArgumentException(
                $"SSD config '{this}' launches groups of {MaxGroupSize} threads; this device allows at most " +
                $"{maxThreadsPerGroup}. Pick a config with smaller tiles (see SsdPrefillConfig.Candidates).",
                paramName);
    }

    /// <summary>The string form, e.g. <c>Q=64,CH=32,SP=16,SN=16,PB=256,BI=16,BJ=16,YT=16,YP=16,TC=0</c>.</summary>
    public override string ToString()
    {
        var values = Values();
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(Names[i]).Append('=').Append(values[i].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(',').Append(TensorCoresName).Append('=').Append(TensorCores ? '1' : '0').ToString();
    }

    /// <summary>Reads a config from its <see cref="ToString"/> form (keys in any order, each exactly once).</summary>
    /// <exception cref="FormatException">The text is not a complete config string (an older string without <c>TC</c> is not).</exception>
    public static SsdPrefillConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new int?[Names.Length + 1];
        string[] names = [.. Names, TensorCoresName];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var index = eq > 0 ? Array.IndexOf(names, part[..eq].Trim()) : -1;
            if (index < 0)
                throw new FormatException(
                    $"SSD config '{text}': '{part}' is not one of {string.Join(", ", names)} followed by '=value'.");
            if (values[index] is not null)
                throw new FormatException($"SSD config '{text}': {names[index]} is given twice.");
            if (!int.TryParse(part[(eq + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"SSD config '{text}': the value of {names[index]} is not an integer.");
            values[index] = value;
        }
        var missing = names.Where((_, i) => values[i] is null).ToList();
        if (missing.Count == 1 && missing[0] == TensorCoresName)
            throw new FormatException(
                $"SSD config '{text}' lacks {TensorCoresName}: it predates the tensor-core kernels; re-tune to get a current config.");
        if (missing.Count > 0)
            throw new FormatException($"SSD config '{text}' lacks {string.Join(", ", missing)}.");
        if (values[^1] is not (0 or 1))
            throw new FormatException($"SSD config '{text}': {TensorCoresName} must be 0 (SIMT) or 1 (tensor cores).");
        return new(
            values[0]!.Value, values[1]!.Value, values[2]!.Value, values[3]!.Value, values[4]!.Value,
            values[5]!.Value, values[6]!.Value, values[7]!.Value, values[8]!.Value)
        {
            TensorCores = values[^1] == 1,
        };
    }

    /// <summary>Parses a config, returning false instead of throwing on bad text.</summary>
    public static bool TryParse(string? text, out SsdPrefillConfig? config)
    {
        config = null;
        if (text is null) return false;
        try
        {
            config = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private int[] Values() =>
        [ChunkSize, CumsumHeads, StateTileP, StateTileN, PassingBlock, BmmTileI, BmmTileJ, ScanTileRows, ScanTileP];
}
