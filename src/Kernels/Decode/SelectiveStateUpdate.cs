using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The Mamba2 decode step (vLLM's <c>selective_state_update</c>): for each sequence of a batch,
/// one token updates the state in its cache slot and produces one output row.
/// <code>
/// dt' = clamp(softplus?(dt + bias), DtMin, DtMax)      (softplus threshold 20)
/// state[p,n] = state[p,n]·exp(dt'·A_h) + dt'·x[p]·B[g(h),n]
/// y[p] = Σ_n state[p,n]·C[g(h),n] + D·x[p];  y ← y·z·σ(z) when z is given
/// </code>
/// Every compilation goes through the <see cref="KernelRegistry"/> under the id
/// <see cref="KernelId"/>, keyed by <see cref="Key"/>; each (options, configuration, N) is one
/// compilation, where N of 16 to 256 in powers of two is a compile-time constant of the kernel and
/// every other N shares one kernel that reads it at run time (the dt limits are run-time values). Every check runs before anything is compiled or launched.
/// </summary>
public sealed class SelectiveStateUpdate
{
    /// <summary>The kernel id in registry events and tuning tables.</summary>
    public const string KernelId = "decode.state_update";

    /// <summary>The closed kernel methods, one per code path, configuration and class of N.</summary>
    internal static readonly StateUpdateMethods Methods = new();

    /// <summary>Creates the operation; it compiles only through <paramref name="registry"/>.</summary>
    public SelectiveStateUpdate(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
    }

    /// <summary>The registry every compilation goes through.</summary>
    public KernelRegistry Registry { get; }

    private Accelerator Accelerator => Registry.Accelerator;

    private bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The compile and tuning key, e.g. <c>H=80,P=64,G=1,N=128,in=f32,st=f32,D=head,z=0,sp=1,bias=1</c>.</summary>
    public static string Key(StateUpdateShape shape, StateUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        return $"{shape},{options}";
    }

    /// <summary>The default configuration for this registry's accelerator.</summary>
    public StateUpdateConfig DefaultConfig => StateUpdateConfig.Default(IsCuda);

    /// <summary>The candidate configurations for this registry's accelerator.</summary>
    public IReadOnlyList<StateUpdateConfig> Candidates => StateUpdateConfig.Candidates(IsCuda);

    /// <summary>Compiles the kernel for this code path and configuration without running it (warmup).</summary>
    /// <exception cref="ArgumentException">The configuration does not fit the accelerator.</exception>
    public void Prepare(StateUpdateShape shape, StateUpdateOptions options, StateUpdateConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        config = CheckConfig(config);
        switch (options.Input, options.State)
        {
            case (Dtype.F32, Dtype.F32): Launcher<float, float>(shape, options, config); break;
            case (Dtype.F32, Dtype.F16): Launcher<float, Half>(shape, options, config); break;
            case (Dtype.F16, Dtype.F32): Launcher<Half, float>(shape, options, config); break;
            case (Dtype.F16, Dtype.F16): Launcher<Half, Half>(shape, options, config); break;
            default: throw new ArgumentOutOfRangeException(nameof(options), options, "Unknown dtype.");
        }
    }

    /// <summary>
    /// Enqueues one decode step on <paramref name="stream"/> (default: the accelerator's default
    /// stream); it does not wait for it.
    /// </summary>
    /// <typeparam name="TIn">Storage of the input dtype (<see cref="float"/> or <see cref="ILGPU.Half"/>), matching <see cref="StateUpdateOptions.Input"/>.</typeparam>
    /// <typeparam name="TState">Storage of the state dtype, matching <see cref="StateUpdateOptions.State"/>.</typeparam>
    /// <param name="shape">The model dimensions.</param>
    /// <param name="options">The code path: dtypes and optional inputs.</param>
    /// <param name="views">The tensors; see <see cref="StateUpdateViews{TIn, TState}"/> for layouts.</param>
    /// <param name="slots">The cache slot of each sequence; its count is the batch size.</param>
    /// <param name="config">The tiling; default <see cref="DefaultConfig"/>.</param>
    /// <param name="stream">The stream to launch on.</param>
    /// <exception cref="ArgumentException">A tensor, stride, slot count or configuration does not match; nothing was launched.</exception>
    public void Run<TIn, TState>(
        StateUpdateShape shape,
        StateUpdateOptions options,
        in StateUpdateViews<TIn, TState> views,
        CacheSlots slots,
        StateUpdateConfig? config = null,
        AcceleratorStream? stream = null)
        where TIn : unmanaged
        where TState : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(slots);
        config = CheckConfig(config);
        var layout = Check<TIn, TState>(shape, options, nameof(views), slots.Count, new Lengths(
            views.State.Length, views.X.Length, views.XStride, views.Dt.Length, views.DtStride, views.A.Length,
            views.B.Length, views.BStride, views.C.Length, views.CStride, views.Y.Length, views.YStride,
            views.D.Length, views.Z.Length, views.ZStride, views.DtBias.Length));
        if (slots.Capacity > layout.CacheSlots)
        {
            throw DecodeChecks.Error(nameof(slots), "The slot indices address a larger cache than views.State holds",
                $"a capacity <= {layout.CacheSlots} slots", $"capacity {slots.Capacity}");
        }

        var tiles = (shape.HeadDim + config.RowsPerGroup - 1) / config.RowsPerGroup;
        var items = (long)slots.Count * shape.Heads * tiles;
        if (items > int.MaxValue)
            throw DecodeChecks.Error(nameof(slots), "The batch has too many tiles (batch × H × ⌈P/TP⌉)", $"<= {int.MaxValue}", $"{items}");
        var groups = (items + config.ItemsPerGroup - 1) / config.ItemsPerGroup;

        var launcher = Launcher<TIn, TState>(shape, options, config);
        if (groups == 0) return;
        var args = new StateUpdateArgs<TIn, TState>
        {
            State = views.State, Slots = slots.View, X = views.X, Dt = views.Dt, A = views.A, B = views.B,
            C = views.C, D = views.D, Z = views.Z, DtBias = views.DtBias, Y = views.Y,
            Heads = shape.Heads, HeadDim = shape.HeadDim, StateDim = shape.StateDim,
            HeadsPerGroup = shape.HeadsPerGroup,
            DtMin = options.DtMin,
            DtMax = options.DtMax,
            TilesPerHead = tiles,
            Items = (int)items,
            StateVectors = StartsAligned(views.State, options.State) ? 1 : 0,
            StateAddress = config.StreamingHints && views.State.Length > 0 ? views.State.LoadEffectiveAddressAsPtr().ToInt64() : 0,
            XStride = layout.X, DtStride = layout.Dt, BStride = layout.B, CStride = layout.C,
            ZStride = layout.Z, YStride = layout.Y,
        };
        launcher(stream ?? Accelerator.DefaultStream, new KernelConfig((int)groups, config.GroupSize), args);
    }

    /// <summary>
    /// Runs one decode step on host arrays: checks everything, uploads, runs, waits, and writes
    /// <see cref="StateUpdateArrays{TIn, TState}.State"/> and <see cref="StateUpdateArrays{TIn, TState}.Y"/> back in place.
    /// </summary>
    /// <param name="shape">The model dimensions.</param>
    /// <param name="options">The code path.</param>
    /// <param name="arrays">The tensors as host arrays.</param>
    /// <param name="slots">The cache slot of each sequence (negative: padding); its length is the batch size.</param>
    /// <param name="config">The tiling; default <see cref="DefaultConfig"/>.</param>
    /// <exception cref="ArgumentException">An array, stride, slot or configuration does not match; nothing was compiled or launched.</exception>
    public void Run<TIn, TState>(
        StateUpdateShape shape,
        StateUpdateOptions options,
        StateUpdateArrays<TIn, TState> arrays,
        int[] slots,
        StateUpdateConfig? config = null)
        where TIn : unmanaged
        where TState : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(slots);
        config = CheckConfig(config);
        var layout = Check<TIn, TState>(shape, options, nameof(arrays), slots.Length, new Lengths(
            arrays.State.Length, arrays.X.Length, arrays.XStride, arrays.Dt.Length, arrays.DtStride, arrays.A.Length,
            arrays.B.Length, arrays.BStride, arrays.C.Length, arrays.CStride, arrays.Y.Length, arrays.YStride,
            arrays.D?.Length ?? 0, arrays.Z?.Length ?? 0, arrays.ZStride, arrays.DtBias?.Length ?? 0));

        using var deviceSlots = new CacheSlots(Accelerator, slots, layout.CacheSlots);   // checks the indices first
        using var buffers = new HostUpload(Accelerator);
        var state = buffers.Upload(arrays.State);
        var y = buffers.Upload(arrays.Y);
        var views = new StateUpdateViews<TIn, TState>
        {
            State = state, X = buffers.Upload(arrays.X), Dt = buffers.Upload(arrays.Dt), A = buffers.Upload(arrays.A),
            B = buffers.Upload(arrays.B), C = buffers.Upload(arrays.C), Y = y,
            D = buffers.Upload(arrays.D), Z = buffers.Upload(arrays.Z), DtBias = buffers.Upload(arrays.DtBias),
            XStride = arrays.XStride, DtStride = arrays.DtStride, BStride = arrays.BStride,
            CStride = arrays.CStride, ZStride = arrays.ZStride, YStride = arrays.YStride,
        };
        Run(shape, options, views, deviceSlots, config);
        Accelerator.Synchronize();
        state.CopyToCPU(arrays.State);
        if (arrays.Y.Length > 0) y.CopyToCPU(arrays.Y);
    }

    /// <summary>The loaded kernel; the key and config text are only built when it still has to compile.</summary>
    private Action<AcceleratorStream, KernelConfig, StateUpdateArgs<TIn, TState>> Launcher<TIn, TState>(
        StateUpdateShape shape, StateUpdateOptions options, StateUpdateConfig config)
        where TIn : unmanaged
        where TState : unmanaged
    {
        var method = Methods.Get(options, config, shape.StateDim);
        var compiled = Registry.IsCompiled(method);
        return Registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, StateUpdateArgs<TIn, TState>>>(
            KernelId, method, compiled ? string.Empty : Key(shape, options), compiled ? string.Empty : config.ToString());
    }

    /// <summary>Whether the state view starts on the alignment of a 4-element state vector.</summary>
    internal static bool StartsAligned<TState>(ArrayView<TState> state, Dtype dtype)
        where TState : unmanaged
    {
        if (state.Length == 0 || ((IArrayView)state).Buffer is not { } buffer) return false;
        var alignment = dtype == Dtype.F32 ? default(F32Vectors).Alignment : default(F16Vectors).Alignment;
        return (buffer.NativePtr.ToInt64() + ((IContiguousArrayView)state).IndexInBytes) % alignment == 0;
    }

    private StateUpdateConfig CheckConfig(StateUpdateConfig? config)
    {
        config ??= DefaultConfig;
        DecodeChecks.GroupFits(Accelerator, config.GroupSize, config);
        return config;
    }

    private readonly record struct Lengths(
        long State, long X, int XStride, long Dt, int DtStride, long A, long B, int BStride, long C, int CStride,
        long Y, int YStride, long D, long Z, int ZStride, long DtBias);

    private readonly record struct Layout(int CacheSlots, int X, int Dt, int B, int C, int Z, int Y);

    private static Layout Check<TIn, TState>(StateUpdateShape shape, StateUpdateOptions options, string arg, int batch, Lengths n)
    {
        DecodeChecks.Storage<TIn>(options.Input, nameof(options), "options.Input");
        DecodeChecks.Storage<TState>(options.State, nameof(options), "options.State");
        DecodeChecks.Tensor P(string tensor) => new(arg, tensor);
        var cacheSlots = DecodeChecks.Slots(n.State, shape.SlotSize, P("State"), "The state cache (slots × H × P × N)");
        var x = DecodeChecks.Rows(n.X, batch, shape.Channels, n.XStride, P("X"), "x");
        var dt = DecodeChecks.Rows(n.Dt, batch, shape.Heads, n.DtStride, P("Dt"), "dt");
        DecodeChecks.Length(n.A, shape.Heads, P("A"), "A (one per head)");
        var b = DecodeChecks.Rows(n.B, batch, shape.GroupWidth, n.BStride, P("B"), "B");
        var c = DecodeChecks.Rows(n.C, batch, shape.GroupWidth, n.CStride, P("C"), "C");
        var y = DecodeChecks.Rows(n.Y, batch, shape.Channels, n.YStride, P("Y"), "y");
        switch (options.D)
        {
            case DSkip.None: DecodeChecks.Absent(n.D, P("D"), "D", "options.D is None"); break;
            case DSkip.PerHead: DecodeChecks.Length(n.D, shape.Heads, P("D"), "D per head (H values, options.D is PerHead)"); break;
            default: DecodeChecks.Length(n.D, shape.Channels, P("D"), "D per channel (H·P values, options.D is PerChannel)"); break;
        }
        var z = 0;
        if (options.Z) z = DecodeChecks.Rows(n.Z, batch, shape.Channels, n.ZStride, P("Z"), "z (options.Z is on)");
        else DecodeChecks.Absent(n.Z, P("Z"), "z", "options.Z is off");
        if (options.DtBias) DecodeChecks.Length(n.DtBias, shape.Heads, P("DtBias"), "dt bias (H values, options.DtBias is on)");
        else DecodeChecks.Absent(n.DtBias, P("DtBias"), "dt bias", "options.DtBias is off");
        return new Layout(cacheSlots, x, dt, b, c, z, y);
    }
}

/// <summary>
/// Closes <see cref="StateUpdateKernel.Run"/> (one tile per group) or
/// <see cref="StateUpdateStreamKernel.Run"/> (<see cref="StateUpdateConfig.ItemsPerGroup"/> above 1)
/// over a specialization once: dtypes, flags, tiling and N as a type constant when
/// <see cref="StateUpdateKernel.ConstantStateDim"/> (else <see cref="AnyStateDim"/>).
/// </summary>
internal sealed class StateUpdateMethods
{
    private readonly KernelMethodCache<(StateUpdateOptions Options, StateUpdateConfig Config, int FixedN)> single = new(
        KernelMethods.Definition(typeof(StateUpdateKernel), nameof(StateUpdateKernel.Run)), static k => TypeArguments(k, tiles: false));

    private readonly KernelMethodCache<(StateUpdateOptions Options, StateUpdateConfig Config, int FixedN)> multi = new(
        KernelMethods.Definition(typeof(StateUpdateStreamKernel), nameof(StateUpdateStreamKernel.Run)), static k => TypeArguments(k, tiles: true));

    /// <summary>The kernel that reads N at run time (any N).</summary>
    public MethodInfo Get((StateUpdateOptions Options, StateUpdateConfig Config) key) => Get(key.Options, key.Config, 0);

    /// <summary>The kernel for state size <paramref name="stateDim"/>: N a constant when it is one of the unrolled sizes.</summary>
    public MethodInfo Get(StateUpdateOptions options, StateUpdateConfig config, int stateDim)
    {
        // The dt limits are run-time arguments: options that differ only in them share a kernel.
        if (options.DtMin != float.NegativeInfinity || options.DtMax != float.PositiveInfinity)
            options = options with { DtMin = float.NegativeInfinity, DtMax = float.PositiveInfinity };
        var key = (options, config, StateUpdateKernel.ConstantStateDim(stateDim) ? stateDim : 0);
        return config.ItemsPerGroup > 1 ? multi.Get(key) : single.Get(key);
    }

    private static Type[] TypeArguments((StateUpdateOptions Options, StateUpdateConfig Config, int FixedN) k, bool tiles)
    {
        List<Type> types =
        [
            TypeConstants.Storage(k.Options.Input), TypeConstants.ElementOps(k.Options.Input),
            TypeConstants.Storage(k.Options.State), TypeConstants.ElementOps(k.Options.State),
            k.Options.State != Dtype.F32 ? typeof(F16Vectors) : k.Config.StreamingHints ? typeof(F32StreamingVectors) : typeof(F32Vectors),
            TypeConstants.Flag(k.Options.D != DSkip.None), TypeConstants.Flag(k.Options.D == DSkip.PerChannel),
            TypeConstants.Flag(k.Options.Z), TypeConstants.Flag(k.Options.DtBias), TypeConstants.Flag(k.Options.DtSoftplus),
            TypeConstants.Constant(k.Config.GroupSize), TypeConstants.Constant(k.Config.RowsPerGroup),
            TypeConstants.Constant(k.Config.VectorsPerPass),
            k.FixedN > 0 ? TypeConstants.Constant(k.FixedN) : typeof(AnyStateDim),
        ];
        if (tiles) types.Add(TypeConstants.Constant(k.Config.ItemsPerGroup));
        return [.. types];
    }
}
