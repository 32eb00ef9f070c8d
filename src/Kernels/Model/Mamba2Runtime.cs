using System.Diagnostics;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Model;

/// <summary>
/// A Mamba2 language model running on one accelerator: prefill (single or packed varlen
/// batches, optionally continuing from cached states), one-token decode with slot-indexed
/// caches, greedy generation. Every kernel compiles through <see cref="Registry"/> and every
/// tuning run goes through <see cref="Tuner"/>, so each is an event stamped with the phase:
/// <see cref="KernelPhase.Loading"/> until <see cref="Warmup"/>, then
/// <see cref="KernelPhase.Serving"/>. Calls are serialised (one request at a time).
/// </summary>
public sealed partial class Mamba2Runtime : IDisposable
{
    private readonly Lock gate = new();
    private readonly Workspace workspace;
    private readonly CachePool caches;
    private readonly Linear linear;
    private readonly RmsNorm norm;
    private readonly Elementwise elementwise;
    private readonly SsdPrefill ssd;
    private readonly CausalConv1d conv;
    private readonly SelectiveStateUpdate stateUpdate;
    private readonly bool ownsDevice;

    private Mamba2Runtime(DeviceHandle device, bool ownsDevice, Mamba2Weights weights, TunerOptions? tunerOptions, ICandidateTimer? timer)
    {
        Device = device;
        this.ownsDevice = ownsDevice;
        Weights = weights;
        Registry = new KernelRegistry(device.Accelerator, $"mamba2[{weights.Source}]#{Interlocked.Increment(ref instances)}");
        Tuner = new Autotuner(Registry, timer, tunerOptions);
        DeviceWeights = new Mamba2DeviceWeights(device.Accelerator, weights);
        workspace = new Workspace(device.Accelerator);
        caches = new CachePool(device.Accelerator, weights.Config);
        linear = new Linear(Tuner);
        norm = new RmsNorm(Registry);
        elementwise = new Elementwise(Registry);
        ssd = new SsdPrefill(Registry);
        conv = new CausalConv1d(Registry);
        stateUpdate = new SelectiveStateUpdate(Registry);
    }

    private static int instances;

    /// <summary>The model configuration.</summary>
    public Mamba2Config Config => Weights.Config;

    /// <summary>The host weights (kept for references and re-uploads).</summary>
    public Mamba2Weights Weights { get; }

    /// <summary>The device the model runs on.</summary>
    public DeviceHandle Device { get; }

    /// <summary>The registry every kernel of this runtime compiles through.</summary>
    public KernelRegistry Registry { get; }

    /// <summary>The autotuner of this runtime.</summary>
    public Autotuner Tuner { get; }

    /// <summary>The weights on the device.</summary>
    public Mamba2DeviceWeights DeviceWeights { get; }

    /// <summary>The current phase.</summary>
    public KernelPhase Phase => Registry.Phase;

    /// <summary>
    /// How many device buffers the serving path has allocated on this runtime's accelerator so
    /// far: activation workspaces, state caches (the runtime's own and <see cref="CreateCache"/>'s),
    /// index buffers and SSD intermediates; weights are not counted. Buffers are grow-only and
    /// reused, so after <see cref="Warmup"/> a request whose batch size and lengths the warmup
    /// covered leaves this number unchanged when requests come one at a time (concurrent
    /// <see cref="Generate"/> calls each rent a state cache, so a second one allocates). Counted per accelerator: runtimes sharing a device
    /// share the count.
    /// </summary>
    public long DeviceBufferAllocations => DeviceAllocations.Count(Device.Accelerator);

    /// <summary>How long loading took (reading weights, opening the device, uploading).</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <summary>
    /// Loads a model (<c>builtin:tiny</c> or a checkpoint folder) onto a device. The runtime owns
    /// the device and disposes it.
    /// </summary>
    /// <exception cref="ModelFormatException">The model is missing or malformed.</exception>
    /// <exception cref="NoDeviceException">A CUDA device was required and none is present.</exception>
    public static Mamba2Runtime Load(string model, DeviceKind device = DeviceKind.Auto, TunerOptions? tunerOptions = null, ICandidateTimer? timer = null)
    {
        var watch = Stopwatch.StartNew();
        var weights = BuiltinModels.Load(model);
        var handle = DeviceSelector.Open(device);
        try
        {
            var runtime = new Mamba2Runtime(handle, ownsDevice: true, weights, tunerOptions, timer);
            runtime.LoadTime = watch.Elapsed;
            return runtime;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Creates a runtime for weights already in memory on a device the caller owns.</summary>
    public static Mamba2Runtime Create(DeviceHandle device, Mamba2Weights weights, TunerOptions? tunerOptions = null, ICandidateTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(weights);
        var watch = Stopwatch.StartNew();
        return new Mamba2Runtime(device, ownsDevice: false, weights, tunerOptions, timer) { LoadTime = watch.Elapsed };
    }

    /// <summary>Adds tuning tables (matched against this device and build) as a source of configurations.</summary>
    public TableMatchResult UseTables(IEnumerable<TuningTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var match = KernelCatalog.Matcher(Registry).Match(tables, Phase);
        Tuner.AddSource(new MatchedTableSource(match));
        return match;
    }

    /// <summary>Allocates a state cache for up to <paramref name="slots"/> concurrent sequences.</summary>
    public Mamba2Cache CreateCache(int slots) => new(Device.Accelerator, Config, slots);

    /// <summary>Moves the runtime to <paramref name="phase"/> (phases only move forward).</summary>
    public void EnterPhase(KernelPhase phase) => Registry.EnterPhase(phase);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            workspace.Dispose();
            caches.Dispose();
            ssd.Dispose();
            DeviceWeights.Dispose();
            Registry.Dispose();
            if (ownsDevice) Device.Dispose();
        }
    }
}
