using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Model;

/// <summary>
/// Start-up on a real GPU (the lead runs these on the H200): concurrent compilation to PTX with
/// serialized or concurrent driver module loads raises the events of a serial warmup and serves
/// the same tokens, and warmed requests allocate no device memory.
/// </summary>
public sealed class CudaStartupTests : IDisposable
{
    private readonly List<Mamba2Runtime> runtimes = [];
    private readonly List<DeviceHandle> devices = [];

    public void Dispose()
    {
        foreach (var r in runtimes) r.Dispose();
        foreach (var d in devices) d.Dispose();
    }

    private Mamba2Runtime Fresh(int concurrency, bool serializeLoads)
    {
        var device = DeviceSelector.Open(DeviceKind.Cuda);
        devices.Add(device);
        var runtime = Mamba2Runtime.Create(device, BuiltinModels.Load(BuiltinModels.Tiny), SharedRuntimes.FirstCandidate);
        runtime.WarmupCompileConcurrency = concurrency;
        runtime.Registry.SerializeModuleLoads = serializeLoads;
        runtimes.Add(runtime);
        return runtime;
    }

    private static List<string> Comparable(WarmupReport report) =>
        report.Events
            .Where(e => e.Kind != KernelEventKind.Tuned)
            .Select(e => $"{e.Kind}|{e.Phase}|{e.Kernel}|{e.Key}|{e.Config}|{e.Scope}|{e.CallSite}|{e.Detail}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static WarmupReport WarmUp(Mamba2Runtime runtime)
    {
        using (KernelScope.Enter("cuda-startup-test"))
            return runtime.Warmup();
    }

    private static int[][] Requests()
    {
        var rng = new Random(3);
        return Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 1 + rng.Next(300)).Select(_ => rng.Next(96)).ToArray()).ToArray();
    }

    [CudaFact]
    public void Concurrent_compiles_and_loads_on_CUDA_raise_the_serial_events_and_serve_the_same_tokens()
    {
        var serial = Fresh(1, serializeLoads: true);
        var serialReport = WarmUp(serial);
        var expected = Requests().Select(p => serial.Generate([p], 4)[0]).ToArray();

        foreach (var serializeLoads in new[] { true, false })
        {
            var concurrent = Fresh(Environment.ProcessorCount, serializeLoads);
            var report = WarmUp(concurrent);
            Comparable(report).Should().Equal(Comparable(serialReport), $"module loads serialized: {serializeLoads}");
            Requests().Select(p => concurrent.Generate([p], 4)[0]).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            concurrent.Registry.Compilations.Should().Be(report.Compilations, "serving compiled nothing");
        }
    }

    [CudaFact]
    public void On_CUDA_warmed_requests_allocate_no_device_memory()
    {
        var runtime = Fresh(Environment.ProcessorCount, serializeLoads: true);
        WarmUp(runtime);
        var before = runtime.DeviceBufferAllocations;
        foreach (var prompt in Requests())
            runtime.Generate([prompt], 4);
        runtime.DeviceBufferAllocations.Should().Be(before, "the CUDA plan warms prefills of 2048 tokens and a 1-prompt generation");
    }
}
