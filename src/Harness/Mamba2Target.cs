using System.Globalization;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Harness;

/// <summary>
/// The Mamba2 model as a <see cref="IWarmGateTarget"/>: loads a <see cref="Mamba2Runtime"/>
/// (<c>builtin:tiny</c> unless told otherwise, see <see cref="Mamba2TargetOptions"/>), applies
/// the tuning tables found by <see cref="TuningTableSources"/> before warmup, runs the model's
/// warmup plan and exposes the runtime to tests through <see cref="Runtime"/>. Tables and the
/// keys warmup tuned itself are listed in <see cref="TuningTables"/> (and so in the report).
/// </summary>
public sealed class Mamba2Target : IWarmGateTarget
{
    /// <summary>The environment variable naming the model when the options do not: <c>builtin:tiny</c> or a checkpoint folder.</summary>
    public const string ModelVariable = Mamba2Selection.ModelVariable;

    /// <summary>The environment variable naming the device when the options do not: auto, cuda or cpu.</summary>
    public const string DeviceVariable = Mamba2Selection.DeviceVariable;

    /// <summary>The environment variable naming the tune mode when the options do not: quick or full.</summary>
    public const string TuneVariable = Mamba2Selection.TuneVariable;

    /// <summary>The tuner settings of <see cref="TuneMode.Quick"/>: no warm-up run, one timed run, no budget (so only the first candidate).</summary>
    public static TunerOptions QuickTuner { get; } = new(0, 1, TimeSpan.Zero);

    private readonly Mamba2TargetOptions options;
    private readonly Func<string, string?> environment;
    private readonly Mamba2Selection selection;
    private readonly List<TuningTableUse> tables = [];
    private DeviceHandle? device;
    private Mamba2Runtime? runtime;
    private string howHard = string.Empty;

    /// <summary>Creates the target; nothing is loaded until <see cref="LoadAsync"/>.</summary>
    /// <param name="options">What to load; everything from the environment or the defaults when null.</param>
    /// <exception cref="WarmGateConfigurationException">An environment variable has an invalid value, or the model is empty.</exception>
    public Mamba2Target(Mamba2TargetOptions? options = null)
    {
        this.options = options ?? new Mamba2TargetOptions();
        environment = this.options.Environment ?? System.Environment.GetEnvironmentVariable;
        selection = Mamba2Selection.Resolve(this.options, environment);
        Tune = selection.Tune;
    }

    /// <summary>Creates the target for a model.</summary>
    /// <param name="model"><c>builtin:tiny</c> or a checkpoint folder.</param>
    public Mamba2Target(string model)
        : this(new Mamba2TargetOptions { Model = model })
    {
    }

    /// <summary>The model: <c>builtin:...</c> or the full path of a checkpoint folder.</summary>
    public string Model => selection.Model;

    /// <summary>Where <see cref="Model"/> came from: <c>options</c>, <c>WARMGATE_MODEL</c> or <c>default</c>.</summary>
    public string ModelOrigin => selection.ModelOrigin;

    /// <summary>The device kind asked for.</summary>
    public DeviceKind Device => selection.Device;

    /// <summary>The tune mode: the one asked for, or after <see cref="LoadAsync"/> the device's default; null before load when none was asked for.</summary>
    public TuneMode? Tune { get; private set; }

    /// <inheritdoc/>
    public string Name => Model;

    /// <summary>The loaded runtime: run requests on it in tests.</summary>
    /// <exception cref="InvalidOperationException">The target is not loaded.</exception>
    public Mamba2Runtime Runtime => runtime ?? throw new InvalidOperationException(
        $"The Mamba2 target '{Model}' is not loaded: its fixture loads it before the first test that takes the fixture.");

    /// <inheritdoc/>
    public KernelRegistry Registry => Runtime.Registry;

    /// <summary>What matching the tuning tables decided (entries used, rejected, overridden); null before load.</summary>
    public TableMatchResult? TableMatch { get; private set; }

    /// <summary>What warmup did; null before warmup.</summary>
    public WarmupReport? WarmupReport { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<TuningTableUse> TuningTables => [.. tables];

    /// <summary>
    /// Reads the tuning tables, the weights, opens the device, creates the runtime and adds the
    /// tables to it. Anything wrong with the tables or the model throws before the device opens.
    /// </summary>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <exception cref="TuningTableException">A table source is set or present but missing or corrupt.</exception>
    /// <exception cref="ModelFormatException">The model is missing or malformed; the message names the file.</exception>
    /// <exception cref="NoDeviceException">CUDA was asked for and there is none.</exception>
    public Task LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (runtime is not null)
            throw new InvalidOperationException($"The Mamba2 target '{Model}' is already loaded.");
        var found = FindTables();
        var weights = BuiltinModels.Load(Model);
        var opened = DeviceSelector.Open(Device);
        try
        {
            Tune = selection.Tune ?? (opened.IsCuda ? TuneMode.Full : TuneMode.Quick);
            var tuner = options.TunerOptions ?? (Tune == TuneMode.Quick ? QuickTuner : null);
            howHard = options.TunerOptions is { } custom
                ? string.Create(CultureInfo.InvariantCulture, $"with custom tuner options ({custom.Warmups} warm-up(s), {custom.Repetitions} timed run(s), {custom.BudgetPerKey.TotalSeconds:0.###} s a key)")
                : Tune == TuneMode.Quick ? "quick (first candidate only)" : "full";
            var created = Mamba2Runtime.Create(opened, weights, tuner);
            try
            {
                TableMatch = created.UseTables(found.Select(f => f.Table));
                tables.AddRange(Mamba2TableUses.Of(TableMatch, found));
            }
            catch
            {
                created.Dispose();
                throw;
            }
            (device, runtime) = (opened, created);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        return Task.CompletedTask;
    }

    /// <summary>Runs the model's warmup plan; the runtime ends in <see cref="KernelPhase.Serving"/>.</summary>
    /// <param name="cancellationToken">Cancels before warmup starts.</param>
    public Task WarmupAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WarmupReport = Runtime.Warmup(progress: options.Progress);
        if (Mamba2TableUses.Of(WarmupReport, howHard) is { } tuned)
            tables.Add(tuned);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        runtime?.Dispose();
        device?.Dispose();
        (runtime, device) = (null, null);
        return ValueTask.CompletedTask;
    }

    private List<(TuningTable Table, string Origin)> FindTables()
    {
        var found = new List<(TuningTable, string)>();
        if (TuningTableSources.FromEnvironment(environment) is { } fromFile)
            found.Add((fromFile, Mamba2TableUses.FromEnvironment));
        var assemblies = options.TableAssemblies ?? TuningTableSources.LoadedAssemblies();
        found.AddRange(TuningTableSources.FromResources(assemblies).Select(t => (t, Mamba2TableUses.Embedded)));
        return found;
    }
}
