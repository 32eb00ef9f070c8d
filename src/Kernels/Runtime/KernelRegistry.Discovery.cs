namespace WarmGate.Kernels.Runtime;

public sealed partial class KernelRegistry
{
    /// <summary>
    /// Starts a discovery pass: until <see cref="KernelDiscovery.CompileAll"/> or disposal, a
    /// request from the calling thread for a kernel that is not loaded yet is recorded and
    /// answered with a launcher that does nothing, so a dry run of the warmup lists every kernel
    /// it needs without waiting for any. Other threads' requests compile as usual (they are not
    /// part of the dry run and need real kernels). A dry run never tunes: its data is whatever the
    /// do-nothing kernels left, so the autotuner ends the pass instead
    /// (<see cref="DiscoveryStoppedException"/>) and the real run tunes. Results computed during
    /// discovery are meaningless.
    /// </summary>
    /// <exception cref="InvalidOperationException">A discovery pass is already running.</exception>
    internal KernelDiscovery BeginDiscovery()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var started = new KernelDiscovery(this);
        if (Interlocked.CompareExchange(ref discovery, started, null) is not null)
        {
            started.Dispose();
            throw new InvalidOperationException($"Runtime '{Name}' is already discovering kernels; finish that pass first.");
        }
        return started;
    }

    /// <summary>Whether the calling thread is running a discovery pass on this registry (its requests get do-nothing launchers).</summary>
    internal bool IsDiscoveringOnCurrentThread => Volatile.Read(ref discovery) is { } pass && pass.IsDiscoveryThread;

    /// <summary>Ends <paramref name="pass"/> if it is the running one.</summary>
    private void EndDiscovery(KernelDiscovery pass) => Interlocked.CompareExchange(ref discovery, null, pass);

    /// <summary>
    /// One discovery pass (see <see cref="BeginDiscovery"/>): records the kernels a dry run asks
    /// for, then compiles them all concurrently, each with the event it would have raised when
    /// first asked for (same phase, kernel, key, config, scope and call site).
    /// </summary>
    internal sealed class KernelDiscovery : IDisposable
    {
        private readonly KernelRegistry registry;
        private readonly List<CompileRequest> requests = [];
        private readonly HashSet<CacheKey> seen = [];
        private readonly int thread = Environment.CurrentManagedThreadId;

        internal KernelDiscovery(KernelRegistry registry) => this.registry = registry;

        /// <summary>Whether the calling thread is the one running the dry run.</summary>
        internal bool IsDiscoveryThread => Environment.CurrentManagedThreadId == thread;

        /// <summary>How many distinct kernels have been recorded.</summary>
        public int Count
        {
            get
            {
                lock (requests) return requests.Count;
            }
        }

        /// <summary>Records <paramref name="request"/> instead of compiling it now; false on another thread.</summary>
        internal bool TryDefer(CompileRequest request)
        {
            if (!IsDiscoveryThread) return false;
            lock (requests)
            {
                if (seen.Add(request.CacheKey)) requests.Add(request);
            }
            return true;
        }

        /// <summary>
        /// Ends the pass and compiles every recorded kernel on up to <paramref name="maxParallelism"/>
        /// threads. Returns how many it compiled. A kernel that fails to compile here is left for its
        /// first real use, which compiles it again and throws where it is used.
        /// </summary>
        public int CompileAll(int maxParallelism)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParallelism);
            Dispose();
            CompileRequest[] pending;
            lock (requests) pending = [.. requests];
            var before = registry.Compilations;
            Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, request =>
            {
                try
                {
                    registry.Compile(request);
                }
#pragma warning disable CA1031 // The first real use recompiles it and reports the failure with its context.
                catch (Exception)
                {
                }
#pragma warning restore CA1031
            });
            return registry.Compilations - before;
        }

        /// <summary>Ends the pass without compiling what it recorded.</summary>
        public void Dispose() => registry.EndDiscovery(this);
    }
}

/// <summary>
/// Thrown on a discovery pass's thread when the dry run reaches a key that would have to be tuned:
/// tuning needs real data, so the pass ends there, the kernels listed so far are compiled, and the
/// real run tunes and compiles the rest.
/// </summary>
internal sealed class DiscoveryStoppedException(string kernelId, string key)
    : Exception($"The warmup dry run stopped before tuning {kernelId} [{key}]; the real run tunes it.")
{
    /// <summary>The kernel whose key needed tuning.</summary>
    public string KernelId { get; } = kernelId;

    /// <summary>The key that needed tuning.</summary>
    public string Key { get; } = key;
}
