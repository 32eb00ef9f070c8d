using ILGPU.Backends;
using ILGPU.IR;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Model;

public sealed class CheckpointRuntimeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("warmgate-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(SafetensorsDtype.F32)]
    [InlineData(SafetensorsDtype.F16)]
    [InlineData(SafetensorsDtype.BF16)]
    public void A_checkpoint_written_in_each_dtype_loads_and_runs_like_the_reference_on_its_own_weights(SafetensorsDtype dtype)
    {
        var tiny = BuiltinModels.Load(BuiltinModels.Tiny);
        var folder = Path.Combine(dir, dtype.ToString());
        Mamba2CheckpointWriter.Save(folder, tiny.Config, tiny.Tensors, dtype);

        var loaded = BuiltinModels.Load(folder);
        loaded.Source.Should().Be(folder);
        var rounding = dtype == SafetensorsDtype.F32 ? 0 : dtype == SafetensorsDtype.F16 ? 1e-3 : 1e-2;
        var embeddings = loaded[Mamba2TensorNames.Embeddings];
        embeddings.Zip(tiny[Mamba2TensorNames.Embeddings], (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b)))
            .Max().Should().BeLessThanOrEqualTo((float)rounding);

        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        using var runtime = Mamba2Runtime.Create(device, loaded, SharedRuntimes.FirstCandidate);
        int[] prompt = [4, 8, 15, 16, 23, 42];
        var logits = runtime.PrefillAllLogits(prompt);
        var reference = new Mamba2Reference(loaded);
        var expected = reference.Forward(prompt, reference.NewState());
        var worst = logits.Zip(expected, (a, e) => a.Zip(e, (x, y) => Math.Abs(x - y)).Max()).Max();
        worst.Should().BeLessThan(2e-4 * Math.Max(1, expected.SelectMany(r => r).Max(Math.Abs)));
    }

    [Fact]
    public void Every_model_entry_point_reports_each_real_compilation_exactly_once()
    {
        using var device = DeviceSelector.Open(DeviceKind.Cpu);
        using var runtime = Mamba2Runtime.Create(device, BuiltinModels.Load(BuiltinModels.Tiny), SharedRuntimes.FirstCandidate);
        var counter = new CompileCounter();
        runtime.Registry.ObserverHook = counter;
        var compiled = 0;
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name && e.Kind == KernelEventKind.Compiled) Interlocked.Increment(ref compiled);
        });
        using var cache = runtime.CreateCache(2);
        runtime.Prefill([[1, 2, 3], [4]], cache);
        runtime.Prefill([[5], [6, 7]], cache, continueFromCache: true);
        runtime.Decode([8, 9], cache, [0, 1]);
        runtime.Generate([[1, 2]], 2);
        runtime.PrefillAllLogits([3, 3, 3]);

        counter.Count.Should().BeGreaterThan(10);
        compiled.Should().Be(counter.Count, "every backend compilation is a Compiled event");
        runtime.Registry.Compilations.Should().Be(counter.Count);
        var before = counter.Count;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        runtime.Prefill([[1, 2, 3], [4]], cache);
        runtime.Decode([8, 9], cache, [0, 1]);
        counter.Count.Should().Be(before, "kernels are held strongly: nothing recompiles after a GC");
    }

    private sealed class CompileCounter : IBackendHook
    {
        public int Count;

        public void FinishedCodeGeneration(IRContext context, Method entryPoint) => Interlocked.Increment(ref Count);

        public void InitializedKernelContext(IRContext kernelContext, Method kernelMethod)
        {
        }

        public void OptimizedKernelContext(IRContext kernelContext, Method kernelMethod)
        {
        }
    }
}
