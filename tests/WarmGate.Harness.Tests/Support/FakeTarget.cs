using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Harness;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Tests.Support;

/// <summary>
/// A stand-in for a model runtime, for fast unit tests of the fixture and session mechanics:
/// one ILGPU kernel that scales a vector by a type-level constant, so each factor (1, 2, 4, ...
/// 256) is its own compilation. Warmup compiles only the factors it is told to; launching any
/// other factor compiles after load. (The sample projects use the real model.)
/// </summary>
public sealed class FakeTarget(IReadOnlyList<int> warmFactors, bool failLoad = false, string name = "fake") : IWarmGateTarget
{
    public const string KernelId = "sample.scale";

    private readonly Lock launchLock = new();
    private DeviceHandle? device;
    private KernelRegistry? registry;

    public string Name => name;

    public KernelRegistry Registry => registry ?? throw new InvalidOperationException("The fake target is not loaded.");

    public IReadOnlyList<TuningTableUse> TuningTables => [];

    public Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (failLoad)
            throw new FileNotFoundException("The fake model's weights are missing.", "fake/model.safetensors");
        device = DeviceSelector.Open(DeviceKind.Cpu);
        registry = new KernelRegistry(device.Accelerator, Name);
        return Task.CompletedTask;
    }

    public Task WarmupAsync(CancellationToken cancellationToken = default)
    {
        foreach (var factor in warmFactors)
            Scale(factor, [1f]);
        return Task.CompletedTask;
    }

    /// <summary>Returns <paramref name="data"/> times <paramref name="factor"/>, computed by the kernel.</summary>
    public float[] Scale(int factor, float[] data)
    {
        var launcher = Registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, ArrayView<float>>>(
            KernelId, ScaleMethod(factor), key: $"factor={factor}", config: "group=16");
        lock (launchLock)
        {
            var accelerator = Registry.Accelerator;
            using var buffer = accelerator.Allocate1D(data);
            launcher(accelerator.DefaultStream, new KernelConfig((data.Length + 15) / 16, 16), buffer.View);
            accelerator.Synchronize();
            return buffer.GetAsArray1D();
        }
    }

    public ValueTask DisposeAsync()
    {
        registry?.Dispose();
        device?.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static void ScaleKernel<TFactor>(ArrayView<float> data)
        where TFactor : struct, IConstant
    {
        var i = Grid.GlobalIndex.X;
        if (i >= data.Length) return;
        data[i] *= default(TFactor).Value;
    }

    private static MethodInfo ScaleMethod(int factor) =>
        typeof(FakeTarget).GetMethod(nameof(ScaleKernel), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(TypeConstants.Constant(factor));
}
