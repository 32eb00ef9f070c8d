using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// What one <c>warmgate bench</c> run measures and how hard: the full model-sized set (for a
/// GPU), or with <c>--quick</c> tiny shapes and few runs that finish in seconds on the CPU
/// accelerator (tests and CI).
/// </summary>
internal sealed record BenchSettings
{
    /// <summary>The device to run on.</summary>
    public required DeviceKind Device { get; init; }

    /// <summary>The benchmarks to run, in order.</summary>
    public required IReadOnlyList<string> Kinds { get; init; }

    /// <summary>Whether this is the quick (tiny) set.</summary>
    public required bool Quick { get; init; }

    /// <summary>Timed runs per kernel measurement.</summary>
    public required int Runs { get; init; }

    /// <summary>Untimed runs before each kernel measurement.</summary>
    public required int Warmups { get; init; }

    /// <summary>Timed runs of each candidate in the exhaustive sweep of <c>tuning-quality</c>.</summary>
    public required int SweepRuns { get; init; }

    /// <summary>Where to write the JSON lines too, or null.</summary>
    public string? OutFile { get; init; }

    /// <summary>A model to benchmark in <c>startup</c> and <c>tuning-quality</c> besides <c>builtin:tiny</c>, or null.</summary>
    public string? Model { get; init; }

    /// <summary>The SSD layer shapes.</summary>
    public required IReadOnlyList<SsdShape> SsdShapes { get; init; }

    /// <summary>The SSD input dtypes (the state is fp32).</summary>
    public IReadOnlyList<Dtype> SsdDtypes { get; init; } = [Dtype.F16, Dtype.F32];

    /// <summary>The sequence lengths of the SSD prefill.</summary>
    public required IReadOnlyList<int> SsdLengths { get; init; }

    /// <summary>The sequence lengths at which <c>ssd-stages</c> times each stage.</summary>
    public required IReadOnlyList<int> SsdStageLengths { get; init; }

    /// <summary>The length at which each SSD key is tuned and checked against the float64 reference.</summary>
    public required int SsdCheckLength { get; init; }

    /// <summary>The decode layer shape.</summary>
    public required StateUpdateShape DecodeShape { get; init; }

    /// <summary>The decode batch sizes.</summary>
    public required IReadOnlyList<int> DecodeBatches { get; init; }

    /// <summary>
    /// The prompt lengths of the requests after warmup in <c>startup</c> (ten; five with
    /// <c>--quick</c>): the first is compared with the median of the others.
    /// </summary>
    public required IReadOnlyList<int> RequestLengths { get; init; }

    /// <summary>New tokens per request (one prefill, then decode steps).</summary>
    public int RequestNewTokens { get; init; } = 4;

    /// <summary>How the tuner measures; null for the device's defaults.</summary>
    public TunerOptions? Tuner { get; init; }

    /// <summary>The models <c>startup</c> and <c>tuning-quality</c> load.</summary>
    public IReadOnlyList<string> Models =>
        Model is null || Model == BuiltinModels.Tiny ? [BuiltinModels.Tiny] : [BuiltinModels.Tiny, Model];

    /// <summary>
    /// Builds the settings from the command line, checking every value before anything runs.
    /// </summary>
    /// <exception cref="CliException">A value is out of range or a path cannot be used.</exception>
    /// <exception cref="ModelFormatException">The <c>--model</c> folder is not a valid checkpoint.</exception>
    public static BenchSettings Create(DeviceKind device, string? only, bool quick, int? runs, string? outFile, string? model)
    {
        var kinds = BenchKinds.Parse(only);
        if (runs is < 1)
            throw new CliException($"--runs must be at least 1; got {runs}.");
        if (outFile is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(outFile));
            if (dir is not null && !Directory.Exists(dir))
                throw new CliException($"--out: the folder '{dir}' does not exist; create it or pick another file.");
        }
        if (model is not null && BuiltinModels.IsBuiltin(model) && model != BuiltinModels.Tiny)
            throw new CliException($"--model: unknown built-in model '{model}'; the only one is {BuiltinModels.Tiny}.");
        if (model is not null && !BuiltinModels.IsBuiltin(model))
        {
            // Checks the config and every tensor's header now, not minutes into the run.
            using var checkpoint = Mamba2Checkpoint.Open(model);
        }
        var timed = runs ?? (quick ? 3 : 50);
        return quick
            ? new BenchSettings
            {
                Device = device, Kinds = kinds, Quick = true, Runs = timed, Warmups = 1, SweepRuns = timed,
                OutFile = outFile, Model = model,
                SsdShapes = [new(4, 8, 2, 8)],
                SsdLengths = [64],
                SsdStageLengths = [64],
                SsdCheckLength = 64,
                DecodeShape = new StateUpdateShape(4, 8, 2, 8),
                DecodeBatches = [1, 4],
                RequestLengths = [12, 3, 30, 7, 20],
                RequestNewTokens = 2,
                // One timed run per candidate, compile included, and one re-measure round of the best two:
                // the choice means little, the path is the same.
                Tuner = new TunerOptions(0, 1, TimeSpan.FromSeconds(10), Finalists: 2, RemeasureRounds: 1),
            }
            : new BenchSettings
            {
                Device = device, Kinds = kinds, Quick = false, Runs = timed, Warmups = 5, SweepRuns = Math.Max(100, 2 * timed),
                OutFile = outFile, Model = model,
                SsdShapes = [new(80, 64, 1, 128), new(64, 64, 8, 128)],
                SsdLengths = [512, 2048, 8192],
                SsdStageLengths = [2048, 8192],
                SsdCheckLength = 2048,
                DecodeShape = new StateUpdateShape(80, 64, 1, 128),
                DecodeBatches = [1, 16, 64, 256],
                RequestLengths = [40, 7, 130, 21, 64, 3, 96, 33, 200, 15],
            };
    }
}
