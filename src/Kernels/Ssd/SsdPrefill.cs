using ILGPU;
using Half = ILGPU.Half;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The Mamba2 SSD prefill on an ILGPU accelerator: five kernels (<c>ssd.cumsum</c>,
/// <c>ssd.chunk_state</c>, <c>ssd.state_passing</c>, <c>ssd.bmm</c>, <c>ssd.chunk_scan</c>)
/// over a packed varlen batch, with vLLM semantics (sequence s starts from its initial state or
/// 0 and yields its final state). Every kernel is compiled through the <see cref="KernelRegistry"/>,
/// keyed by <see cref="SsdKey.Of"/> and the config string. One instance per registry; it owns
/// grow-only intermediate buffers, so calls on one instance are serialized.
/// </summary>
public sealed partial class SsdPrefill : IDisposable
{
    private readonly Dictionary<(SsdShape, SsdOptions, SsdPrefillConfig), SsdKernelPlan> plans = [];
    private readonly SsdWorkspace workspace;
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Creates the prefill for the registry's accelerator.</summary>
    /// <param name="registry">The registry every kernel is compiled through; not owned.</param>
    public SsdPrefill(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        workspace = new SsdWorkspace(registry.Accelerator);
    }

    /// <summary>The registry kernels are compiled through.</summary>
    public KernelRegistry Registry { get; }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator => Registry.Accelerator;

    /// <summary>
    /// Profiling hook, null (no cost) unless a per-stage profiler sets it: called on the launching
    /// thread right after each stage of a run is enqueued, with its id: <c>ssd.setup</c> (workspace
    /// and chunk table), then each kernel's id in launch order. Set it only while no other run uses
    /// this instance.
    /// </summary>
    public Action<string>? StageLaunched { get; set; }

    /// <summary>Whether the accelerator is a CUDA device (picks <see cref="SsdPrefillConfig.Default"/>).</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>
    /// Compiles (loads) the five kernels of a key and config without running them; a no-op for
    /// those already loaded. Returns how many were compiled now.
    /// </summary>
    /// <exception cref="ArgumentException">The shape, options or config is invalid for this device.</exception>
    public int Load(SsdShape shape, SsdOptions options, SsdPrefillConfig config)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        shape.Validate(nameof(shape));
        options.Validate(nameof(options));
        config.Validate(Accelerator.MaxNumThreadsPerGroup, nameof(config));
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var before = Registry.Compilations;
            var plan = Plan(shape, options, config);
            switch ((options.InputDtype, options.StateDtype))
            {
                case (Dtype.F32, Dtype.F32): Launchers<float, float>.Get(Registry, plan); break;
                case (Dtype.F32, Dtype.F16): Launchers<float, Half>.Get(Registry, plan); break;
                case (Dtype.F16, Dtype.F32): Launchers<Half, float>.Get(Registry, plan); break;
                default: Launchers<Half, Half>.Get(Registry, plan); break;
            }
            return Registry.Compilations - before;
        }
    }

    /// <summary>
    /// Runs the prefill on <paramref name="stream"/>: writes y and the final states. Everything
    /// is validated before anything is allocated, compiled or launched. Kernels not yet loaded
    /// are compiled first (a compile event; warm up to avoid it while serving).
    /// </summary>
    /// <typeparam name="T">The input dtype; must match <see cref="SsdOptions.InputDtype"/>.</typeparam>
    /// <typeparam name="TState">The state dtype; must match <see cref="SsdOptions.StateDtype"/>.</typeparam>
    /// <param name="stream">The stream to launch on (of this prefill's accelerator).</param>
    /// <param name="shape">The layer shape.</param>
    /// <param name="options">The code-path options.</param>
    /// <param name="config">The tile config (<see cref="SsdPrefillConfig.Default"/> or a tuned one).</param>
    /// <param name="args">The device operands.</param>
    /// <exception cref="ArgumentException">An argument does not match the shape, options or device; ParamName names it.</exception>
    public void Run<T, TState>(
        AcceleratorStream stream, SsdShape shape, SsdOptions options, SsdPrefillConfig config, SsdPrefillArgs<T, TState> args)
        where T : unmanaged
        where TState : unmanaged
    {
        Validate(stream, shape, options, config, args);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            Launch(stream, Plan(shape, options, config), shape, options, config, args);
        }
    }

    /// <summary>Releases the intermediate buffers (the registry keeps the kernels).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            workspace.Dispose();
        }
    }

    private void Validate<T, TState>(
        AcceleratorStream stream, SsdShape shape, SsdOptions options, SsdPrefillConfig config, SsdPrefillArgs<T, TState> args)
        where T : unmanaged
        where TState : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(args);
        if (stream.Accelerator != Accelerator)
            throw new ArgumentException(
                $"The stream belongs to accelerator '{stream.Accelerator.Name}', not to this prefill's '{Accelerator.Name}'.",
                nameof(stream));
        if (typeof(T) != TypeConstants.Storage(options.InputDtype))
            throw new ArgumentException(
                $"options.InputDtype is {options.InputDtype} ({TypeConstants.Storage(options.InputDtype).Name}) but the views hold {typeof(T).Name}.",
                nameof(options));
        if (typeof(TState) != TypeConstants.Storage(options.StateDtype))
            throw new ArgumentException(
                $"options.StateDtype is {options.StateDtype} ({TypeConstants.Storage(options.StateDtype).Name}) but the state views hold {typeof(TState).Name}.",
                nameof(options));
        config.Validate(Accelerator.MaxNumThreadsPerGroup, nameof(config));
        SsdValidation.ValidateInputs(shape, options, args.Sizes());
        var nseq = args.CuSeqlens.Length - 1;
        SsdValidation.Output(nameof(args.Y), args.Y.Length, (long)args.Tokens * shape.HeadWidth, $"T*H*P with T={args.Tokens}");
        SsdValidation.Output(
            nameof(args.FinalStates), args.FinalStates.Length, (long)nseq * shape.StatePerSequence, $"nseq*H*P*N with nseq={nseq}");
        SsdValidation.IndexRange(shape, config, args.CuSeqlens);
    }

    private SsdKernelPlan Plan(SsdShape shape, SsdOptions options, SsdPrefillConfig config)
    {
        var key = (shape, options, config);
        if (!plans.TryGetValue(key, out var plan))
        {
            plan = new SsdKernelPlan(shape, options, config);
            plans[key] = plan;
        }
        return plan;
    }

    private void Launch<T, TState>(
        AcceleratorStream stream,
        SsdKernelPlan plan,
        SsdShape shape,
        SsdOptions options,
        SsdPrefillConfig config,
        SsdPrefillArgs<T, TState> args)
        where T : unmanaged
        where TState : unmanaged
    {
        var kernels = Launchers<T, TState>.Get(Registry, plan);
        var table = SsdChunkTable.Build(args.CuSeqlens, config.ChunkSize);
        int q = config.ChunkSize, chunks = table.Count, heads = shape.Heads, p = shape.HeadDim, n = shape.StateSize;
        var (start, length, sequence, firstChunk) = workspace.Table(stream, args.CuSeqlens, table);
        var dt = workspace.Dt(stream, (long)heads * chunks * q);
        var dA = workspace.DACumsum(stream, (long)heads * chunks * q);
        var chunkStates = workspace.ChunkStates(stream, (long)chunks * shape.StatePerSequence);
        var passed = workspace.PassedStates<TState>(stream, (long)chunks * shape.StatePerSequence);
        var cb = workspace.CB(stream, (long)chunks * shape.Groups * q * q);
        var aligned = SsdAlignedViews.Of(
            args.X, args.B, args.C, cb, q, passed, args.InitialStates ?? ArrayView<TState>.Empty,
            args.Y, args.Z ?? ArrayView<T>.Empty, chunkStates);
        StageLaunched?.Invoke("ssd.setup");

        kernels.Cumsum(
            stream,
            new KernelConfig(new Index3D(chunks, Tiles(heads, SsdCumsumKernel.HeadsPerGroup(config)), 1), new Index3D(config.CumsumHeads, 1, 1)),
            new SsdCumsumParams<T>
            {
                Dt = args.Dt, DtStride = args.DtStride, A = args.A, DtBias = args.DtBias ?? ArrayView<float>.Empty,
                ChunkStart = start, ChunkLength = length, DtOut = dt, DACumsum = dA,
                Heads = heads, Chunks = chunks, DtMin = options.DtMin, DtMax = options.DtMax,
            });
        StageLaunched?.Invoke(SsdCumsumKernel.Id);

        int tilesP = Tiles(p, config.StateTileP), tilesN = Tiles(n, config.StateTileN);
        kernels.ChunkState(
            stream,
            new KernelConfig(new Index3D(chunks, tilesP * tilesN, heads), new Index3D(config.ChunkStateGroupSize, 1, 1)),
            new SsdChunkStateParams<T>
            {
                X = args.X, XStride = args.XStride, B = args.B, BStride = args.BStride,
                ChunkStart = start, ChunkLength = length, DtOut = dt, DACumsum = dA, ChunkStates = chunkStates,
                Heads = heads, HeadDim = p, StateSize = n, HeadsPerGroup = shape.HeadsPerGroup, Chunks = chunks, TilesN = tilesN,
                Aligned = aligned,
            });
        StageLaunched?.Invoke(SsdChunkStateKernel.Id);

        kernels.StatePassing(
            stream,
            new KernelConfig(
                new Index3D(table.Sequences, SsdStatePassingKernel.GroupsPerHead(shape.StatePerHead, config.PassingBlock), heads),
                new Index3D(config.PassingBlock, 1, 1)),
            new SsdStatePassingParams<TState>
            {
                ChunkStates = chunkStates, DACumsum = dA, FirstChunk = firstChunk,
                InitialStates = args.InitialStates ?? ArrayView<TState>.Empty,
                PassedStates = passed, FinalStates = args.FinalStates,
                Heads = heads, StatePerHead = shape.StatePerHead, Chunks = chunks,
                Vectors = SsdStatePassingKernel.CanUseVectors(
                    shape.StatePerHead, chunkStates, passed, args.InitialStates ?? ArrayView<TState>.Empty, args.FinalStates) ? 1 : 0,
            });
        StageLaunched?.Invoke(SsdStatePassingKernel.Id);

        int tilesI = Tiles(q, config.BmmTileI), tilesJ = Tiles(q, config.BmmTileJ);
        kernels.Bmm(
            stream,
            new KernelConfig(new Index3D(chunks, tilesI * tilesJ, shape.Groups), new Index3D(config.BmmGroupSize, 1, 1)),
            new SsdBmmParams<T>
            {
                B = args.B, BStride = args.BStride, C = args.C, CStride = args.CStride,
                ChunkStart = start, ChunkLength = length, CB = cb,
                Groups = shape.Groups, StateSize = n, TilesJ = tilesJ, Aligned = aligned,
            });
        StageLaunched?.Invoke(SsdBmmKernel.Id);

        int tilesRows = Tiles(q, config.ScanTileRows), tilesScanP = Tiles(p, config.ScanTileP);
        kernels.ChunkScan(
            stream,
            new KernelConfig(new Index3D(chunks, tilesRows * tilesScanP, heads), new Index3D(config.ChunkScanGroupSize, 1, 1)),
            new SsdChunkScanParams<T, TState>
            {
                X = args.X, XStride = args.XStride, C = args.C, CStride = args.CStride,
                Z = args.Z ?? ArrayView<T>.Empty, ZStride = args.ZStride, D = args.D ?? ArrayView<float>.Empty,
                ChunkStart = start, ChunkLength = length, ChunkSequence = sequence, FirstChunk = firstChunk,
                DtOut = dt, DACumsum = dA, CB = cb, PassedStates = passed,
                InitialStates = args.InitialStates ?? ArrayView<TState>.Empty, Y = args.Y,
                Heads = heads, HeadDim = p, StateSize = n, Groups = shape.Groups, HeadsPerGroup = shape.HeadsPerGroup,
                Chunks = chunks, TilesP = tilesScanP, Aligned = aligned,
            });
        StageLaunched?.Invoke(SsdChunkScanKernel.Id);
        lastRun = new LastRun(table, dt, dA, chunkStates, cb, passed.Cast<byte>(), aligned);
    }

    private static int Tiles(int extent, int tile) => (extent + tile - 1) / tile;

    /// <summary>The launchers of one plan's five kernels, compiled through the registry on first use.</summary>
    private readonly record struct Launchers<T, TState>(
        Action<AcceleratorStream, KernelConfig, SsdCumsumParams<T>> Cumsum,
        Action<AcceleratorStream, KernelConfig, SsdChunkStateParams<T>> ChunkState,
        Action<AcceleratorStream, KernelConfig, SsdStatePassingParams<TState>> StatePassing,
        Action<AcceleratorStream, KernelConfig, SsdBmmParams<T>> Bmm,
        Action<AcceleratorStream, KernelConfig, SsdChunkScanParams<T, TState>> ChunkScan)
        where T : unmanaged
        where TState : unmanaged
    {
        public static Launchers<T, TState> Get(KernelRegistry registry, SsdKernelPlan plan) => new(
            registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, SsdCumsumParams<T>>>(
                SsdCumsumKernel.Id, plan.Cumsum, plan.Key, plan.Config),
            registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, SsdChunkStateParams<T>>>(
                SsdChunkStateKernel.Id, plan.ChunkState, plan.Key, plan.Config),
            registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, SsdStatePassingParams<TState>>>(
                SsdStatePassingKernel.Id, plan.StatePassing, plan.Key, plan.Config),
            registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, SsdBmmParams<T>>>(
                SsdBmmKernel.Id, plan.Bmm, plan.Key, plan.Config),
            registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, SsdChunkScanParams<T, TState>>>(
                SsdChunkScanKernel.Id, plan.ChunkScan, plan.Key, plan.Config));
    }
}
