using ILGPU.Runtime;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Bench;

/// <summary>
/// What the kernel benchmarks share in one run: the device, one registry (so a kernel compiled
/// by one bench is not compiled again by the next), the SSD prefill, the tuner, the timer, the
/// output and the tuning choices already made per SSD key.
/// </summary>
internal sealed class BenchContext : IDisposable
{
    private readonly Dictionary<string, TuningEntry> ssdTuned = [];

    /// <summary>Shares <paramref name="device"/> (now owned by the context) between the benches.</summary>
    public BenchContext(BenchSettings settings, DeviceHandle device, BenchSink sink, TextWriter log)
    {
        Settings = settings;
        Sink = sink;
        Log = log;
        Device = device;
        Registry = new KernelRegistry(Device.Accelerator, "bench");
        Ssd = new SsdPrefill(Registry);
        Tuner = new Autotuner(Registry, options: settings.Tuner);
        Timer = DeviceTimer.For(Device.Accelerator);
    }

    /// <summary>The settings.</summary>
    public BenchSettings Settings { get; }

    /// <summary>Where results go.</summary>
    public BenchSink Sink { get; }

    /// <summary>Progress and diagnostics (stderr).</summary>
    public TextWriter Log { get; }

    /// <summary>The device.</summary>
    public DeviceHandle Device { get; }

    /// <summary>The device's name as results carry it.</summary>
    public string DeviceName => Device.Signature.Name;

    /// <summary>The accelerator's default stream, which every kernel bench launches on.</summary>
    public AcceleratorStream Stream => Device.Accelerator.DefaultStream;

    /// <summary>The registry every bench kernel compiles through.</summary>
    public KernelRegistry Registry { get; }

    /// <summary>The SSD prefill.</summary>
    public SsdPrefill Ssd { get; }

    /// <summary>The tuner (the same settings as model warmup on this device, or the quick ones).</summary>
    public Autotuner Tuner { get; }

    /// <summary>How kernel runs are timed.</summary>
    public DeviceTimer Timer { get; }

    /// <summary>Starts a result line for a bench kind on this device.</summary>
    public BenchLine Line(string bench) => new(bench, DeviceName);

    /// <summary>
    /// The tuner's choice for an SSD key, tuning it now on <paramref name="run"/> (data at the
    /// tuning length) unless an earlier bench of this run already did.
    /// </summary>
    public TuningEntry TuneSsd(SsdShape shape, SsdOptions options, SsdDeviceRun run)
    {
        var key = SsdKey.Of(shape, options);
        if (ssdTuned.TryGetValue(key, out var entry)) return entry;
        var stream = Stream;
        entry = Tuner.Tune(SsdPrefillTunable.For(
            shape, options, Device.IsCuda, Device.Accelerator.MaxNumThreadsPerGroup,
            stream, config => run.Enqueue(stream, config)));
        ssdTuned[key] = entry;
        return entry;
    }

    /// <summary>Writes a progress line to the log.</summary>
    public void Progress(string message) => Log.WriteLine($"bench: {message}");

    /// <inheritdoc/>
    public void Dispose()
    {
        Ssd.Dispose();
        Registry.Dispose();
        Device.Dispose();
    }
}
