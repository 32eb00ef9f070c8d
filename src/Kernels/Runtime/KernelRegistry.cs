using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.IR;
using ILGPU.Runtime;
using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// The one place WarmGate compiles kernels. Every compilation goes through
/// <see cref="GetOrCompile{TDelegate}"/>: ILGPU <c>Backend.Compile</c> with a backend hook, then
/// <c>LoadKernel</c>; it is timed and published as a <see cref="KernelEventKind.Compiled"/> event
/// with the registry's current <see cref="Phase"/>. Loaded kernels are held strongly for the
/// registry's lifetime (ILGPU's own cache holds them weakly and would recompile after a GC).
/// </summary>
/// <remarks>
/// Specializations are generic type arguments of the kernel method (element types, flags and
/// tile sizes as type-level constants) plus the <see cref="KernelSpecialization"/>; each distinct
/// closed method is one compilation. Thread-safe: concurrent requests for the same new kernel
/// compile it once and publish one event; requests for different kernels compile concurrently.
/// ILGPU 1.5.3 allows that: its IL frontend runs under the context's code-generation semaphore,
/// the shared IR and type contexts under reader-writer locks, each kernel's backend passes and PTX
/// generation in a private IR context, and launcher generation under the runtime system's lock.
/// Loading modules into the driver is serialized by default (<see cref="SerializeModuleLoads"/>).
/// </remarks>
public sealed partial class KernelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<CacheKey, Loaded> cache = new();
    private readonly ConcurrentDictionary<CacheKey, Lock> keyLocks = new();
    private readonly Lock loadLock = new();
    private KernelDiscovery? discovery;
    private int phase = (int)KernelPhase.Loading;
    private int compilations;
    private long compileTicks;
    private long loadTicks;
    private bool disposed;

    /// <summary>Creates a registry that compiles for <paramref name="accelerator"/>.</summary>
    /// <param name="accelerator">The accelerator to compile for; the registry does not own it.</param>
    /// <param name="name">A name for the runtime this registry serves, carried by every event.</param>
    public KernelRegistry(Accelerator accelerator, string name = "default")
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Accelerator = accelerator;
        Name = name;
        Device = DeviceSignature.Of(accelerator);
        PtxDirectory = Environment.GetEnvironmentVariable(PtxDump.EnvironmentVariable) is { Length: > 0 } dir ? dir : null;
    }

    /// <summary>The accelerator kernels are compiled for.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The runtime name carried by events.</summary>
    public string Name { get; }

    /// <summary>The device signature of <see cref="Accelerator"/>.</summary>
    public DeviceSignature Device { get; }

    /// <summary>The current phase; it only moves forward.</summary>
    public KernelPhase Phase => (KernelPhase)Volatile.Read(ref phase);

    /// <summary>How many compilations this registry has done.</summary>
    public int Compilations => Volatile.Read(ref compilations);

    /// <summary>
    /// Time spent in ILGPU's compiler (IL to IR to the backend's code, e.g. PTX), summed over
    /// compilations; concurrent compilations overlap, so this can exceed the wall time.
    /// </summary>
    public TimeSpan CompileTime => TimeSpan.FromTicks(Interlocked.Read(ref compileTicks));

    /// <summary>
    /// Time spent loading compiled kernels (for CUDA: the driver's module load, which JIT-compiles
    /// the PTX, and ILGPU's launcher generation), summed over compilations, waits for
    /// <see cref="SerializeModuleLoads"/> excluded.
    /// </summary>
    public TimeSpan LoadTime => TimeSpan.FromTicks(Interlocked.Read(ref loadTicks));

    /// <summary>How many distinct kernels are loaded.</summary>
    public int LoadedCount => cache.Count;

    /// <summary>
    /// Whether <c>Accelerator.LoadKernel</c> (for CUDA: the driver's module load, which JIT-compiles
    /// the PTX) runs one at a time while ILGPU's compilations to PTX run concurrently. True by
    /// default: ILGPU's maintainer reports failures when PTX modules were loaded in parallel
    /// (ILGPU issue 724) and NVCC-generated code loads modules sequentially. Set it to false to
    /// measure whether concurrent loads are faster and safe on a given driver.
    /// </summary>
    public bool SerializeModuleLoads { get; set; } = true;

    /// <summary>
    /// A folder to write the PTX of every CUDA compilation to, before the driver loads it
    /// (<see cref="PtxDump"/>), so <c>ptxas -v</c> can report registers, stack and spills and a JIT
    /// failure leaves its input behind; null (the default unless <c>WARMGATE_PTX_DIR</c> is set when
    /// the registry is made) writes nothing. Other backends produce no PTX and write nothing.
    /// </summary>
    public string? PtxDirectory { get; set; }

    /// <summary>A hook also told of every compilation (tests use it to count compilations independently).</summary>
    internal IBackendHook? ObserverHook { get; set; }

    /// <summary>Moves to <paramref name="next"/>. Phases only move forward.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="next"/> is before the current phase.</exception>
    public void EnterPhase(KernelPhase next)
    {
        var current = Phase;
        if (next < current)
            throw new InvalidOperationException(
                $"Runtime '{Name}' is in phase {current}; it cannot go back to {next}.");
        Volatile.Write(ref phase, (int)next);
    }

    /// <summary>Whether the closed kernel method is already compiled with this specialization.</summary>
    public bool IsCompiled(MethodInfo kernel, KernelSpecialization specialization = default) =>
        cache.ContainsKey(new CacheKey(kernel, specialization));

    /// <summary>
    /// Returns the launcher of an explicitly grouped kernel, compiling and loading it on first use.
    /// </summary>
    /// <typeparam name="TDelegate">The launcher type: <c>Action&lt;AcceleratorStream, KernelConfig, ...args&gt;</c>.</typeparam>
    /// <param name="kernelId">The kernel id events carry, e.g. <c>ssd.chunk_scan</c>.</param>
    /// <param name="kernel">The kernel method, with every generic argument closed.</param>
    /// <param name="key">The tuning key events carry.</param>
    /// <param name="config">The configuration events carry.</param>
    /// <param name="specialization">ILGPU's group-size specialization.</param>
    public TDelegate GetOrCompile<TDelegate>(
        string kernelId,
        MethodInfo kernel,
        string key,
        string config,
        KernelSpecialization specialization = default)
        where TDelegate : Delegate
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ObjectDisposedException.ThrowIf(disposed, this);
        RejectValueSpecialization(kernelId, kernel);
        var cacheKey = new CacheKey(kernel, specialization);
        if (cache.TryGetValue(cacheKey, out var loaded))
        {
            if (KernelEvents.HasUseSubscribers)
                KernelEvents.PublishUse(new KernelUse(Name, kernelId, loaded.Key, loaded.Config, Phase, KernelScope.Current));
        }
        else
        {
            // Phase, scope and call site are the requester's, wherever the compilation then runs.
            var request = new CompileRequest(
                kernelId, cacheKey, key, config, Phase, KernelScope.Current, CallSite.Capture(), LauncherFactory<TDelegate>.Create);
            if (Volatile.Read(ref discovery) is { } active && active.TryDefer(request))
                return NoOpLauncher<TDelegate>.Instance;
            loaded = Compile(request);
        }
        return loaded.Launcher as TDelegate
            ?? throw new ArgumentException(
                $"Kernel '{kernelId}' was loaded with launcher type {loaded.Launcher.GetType()}, not {typeof(TDelegate)}.",
                nameof(TDelegate));
    }

    /// <summary>
    /// Compiles and loads one kernel unless another thread already has, and publishes its
    /// <see cref="KernelEventKind.Compiled"/> event. Kernels of different keys compile concurrently.
    /// </summary>
    private Loaded Compile(CompileRequest request)
    {
        var k = request.CacheKey;
        lock (keyLocks.GetOrAdd(k, static _ => new Lock()))
        {
            if (cache.TryGetValue(k, out var again)) return again;
            var watch = Stopwatch.StartNew();
            var hook = new CompileHook(ObserverHook);
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(k.Method);
            var compiled = Accelerator.GetBackend().Compile(entry, k.Specialization, hook);
            var compileTime = watch.Elapsed;
            if (PtxDirectory is { } ptxDirectory && compiled is PTXCompiledKernel ptx)
                PtxDump.Write(ptxDirectory, request.KernelId, request.TuningKey, request.Config, Specialization(k), ptx.PTXAssembly);
            var (kernelObject, launcher, loadTime) = SerializeModuleLoads ? LoadSerialized(compiled, request) : Load(compiled, request);
            var result = new Loaded(kernelObject, launcher, request.TuningKey, request.Config);
            cache[k] = result;
            Interlocked.Increment(ref compilations);
            Interlocked.Add(ref compileTicks, compileTime.Ticks);
            Interlocked.Add(ref loadTicks, loadTime.Ticks);
            KernelEvents.Publish(new KernelEvent
            {
                Kind = KernelEventKind.Compiled,
                Phase = request.Phase,
                Kernel = request.KernelId,
                Key = request.TuningKey,
                Config = request.Config,
                // Compilation and load, not the wait for another thread's load.
                Duration = compileTime + loadTime,
                Scope = request.Scope,
                CallSite = request.CallSite,
                Backend = Device.Backend,
                Runtime = Name,
                Detail = Specialization(k),
            });
            return result;
        }
    }

    private (Kernel Kernel, Delegate Launcher, TimeSpan LoadTime) LoadSerialized(CompiledKernel compiled, CompileRequest request)
    {
        lock (loadLock) return Load(compiled, request);
    }

    private (Kernel Kernel, Delegate Launcher, TimeSpan LoadTime) Load(CompiledKernel compiled, CompileRequest request)
    {
        var watch = Stopwatch.StartNew();
        var kernelObject = Accelerator.LoadKernel(compiled);
        try
        {
            var launcher = request.CreateLauncher(kernelObject);
            return (kernelObject, launcher, watch.Elapsed);
        }
        catch
        {
            kernelObject.Dispose();
            throw;
        }
    }

    /// <summary>
    /// ILGPU compiles a kernel with <see cref="SpecializedValue{T}"/> parameters again for every new
    /// value inside its launcher, out of the registry's sight. WarmGate kernels express such
    /// constants as generic type arguments instead (see <c>Numerics.TypeConstants</c>), which the
    /// registry compiles and reports; a kernel with value specializations is refused.
    /// </summary>
    private static void RejectValueSpecialization(string kernelId, MethodInfo kernel)
    {
        foreach (var parameter in kernel.GetParameters())
        {
            var type = parameter.ParameterType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SpecializedValue<>))
            {
                throw new ArgumentException(
                    $"Kernel '{kernelId}' takes SpecializedValue parameter '{parameter.Name}': ILGPU would recompile it for each new value " +
                    "without the registry seeing it. Pass the constant as a generic type argument (Numerics.IConstant / IFlag) instead.",
                    nameof(kernel));
            }
        }
    }

    private static string Specialization(CacheKey key)
    {
        var args = key.Method.IsGenericMethod
            ? string.Join(",", key.Method.GetGenericArguments().Select(t => t.Name))
            : string.Empty;
        var group = key.Specialization.MaxNumThreadsPerGroup is int g ? $" maxGroup={g}" : string.Empty;
        return $"{key.Method.DeclaringType?.Name}.{key.Method.Name}<{args}>{group}";
    }

    /// <summary>Releases every loaded kernel.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var loaded in cache.Values)
            loaded.Kernel.Dispose();
        cache.Clear();
    }

    internal readonly record struct CacheKey(MethodInfo Method, KernelSpecialization Specialization);

    /// <summary>A kernel to compile, with what its event reports, captured on the requesting thread.</summary>
    internal sealed record CompileRequest(
        string KernelId,
        CacheKey CacheKey,
        string TuningKey,
        string Config,
        KernelPhase Phase,
        string? Scope,
        string? CallSite,
        Func<Kernel, Delegate> CreateLauncher);

    /// <summary>Creates the typed launcher of a loaded kernel.</summary>
    private static class LauncherFactory<TDelegate>
        where TDelegate : Delegate
    {
        public static readonly Func<Kernel, Delegate> Create = static kernel => kernel.CreateLauncherDelegate<TDelegate>();
    }

    /// <summary>A loaded kernel with the key and config it was compiled under (uses report those).</summary>
    private sealed record Loaded(Kernel Kernel, Delegate Launcher, string Key, string Config);

    /// <summary>Forwards ILGPU's backend callbacks to an optional observer.</summary>
    private readonly struct CompileHook(IBackendHook? observer) : IBackendHook
    {
        public void FinishedCodeGeneration(IRContext context, Method entryPoint) =>
            observer?.FinishedCodeGeneration(context, entryPoint);

        public void InitializedKernelContext(IRContext kernelContext, Method kernelMethod) =>
            observer?.InitializedKernelContext(kernelContext, kernelMethod);

        public void OptimizedKernelContext(IRContext kernelContext, Method kernelMethod) =>
            observer?.OptimizedKernelContext(kernelContext, kernelMethod);
    }
}
