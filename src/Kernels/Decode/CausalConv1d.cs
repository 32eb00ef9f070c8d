using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// Mamba2's causal depthwise conv1d, <c>out[t,c] = act(bias[c] + Σ_k w[c,k]·in[t−K+1+k, c])</c>
/// (act = SiLU or identity), in two forms sharing one conv-state cache (slots × C × (K−1),
/// oldest input first):
/// <list type="bullet">
/// <item><see cref="Prefill{T}(Conv1dShape, Conv1dOptions, bool, in Conv1dViews{T}, PackedSequences, ConvPrefillConfig?, AcceleratorStream?)"/>:
/// a packed varlen batch, each sequence causal on its own, starting from its slot's conv state
/// (initial states) or zeros, and leaving its last K−1 inputs (zero-padded) in its slot;</item>
/// <item><see cref="Update{T}(Conv1dShape, Conv1dOptions, in Conv1dViews{T}, CacheSlots, ConvUpdateConfig?, AcceleratorStream?)"/>:
/// one token per sequence, shifting the slot's state.</item>
/// </list>
/// Compilations go through the <see cref="KernelRegistry"/> under <see cref="PrefillKernelId"/>
/// and <see cref="UpdateKernelId"/>. Every check runs before anything is compiled or launched.
/// </summary>
public sealed partial class CausalConv1d
{
    /// <summary>The prefill kernel's id in registry events and tuning tables.</summary>
    public const string PrefillKernelId = "conv1d.prefill";

    /// <summary>The update kernel's id in registry events and tuning tables.</summary>
    public const string UpdateKernelId = "conv1d.update";

    internal static readonly KernelMethodCache<(Conv1dOptions Options, bool Init, ConvPrefillConfig Config)> PrefillMethods = new(
        KernelMethods.Definition(typeof(Conv1dKernels), nameof(Conv1dKernels.Prefill)),
        static k =>
        [
            TypeConstants.Storage(k.Options.Input), TypeConstants.ElementOps(k.Options.Input),
            TypeConstants.Flag(k.Options.Bias), TypeConstants.Flag(k.Options.Silu), TypeConstants.Flag(k.Init),
            TypeConstants.Constant(k.Config.TokensPerThread),
        ]);

    internal static readonly KernelMethodCache<(Conv1dOptions Options, ConvUpdateConfig Config)> UpdateMethods = new(
        KernelMethods.Definition(typeof(Conv1dKernels), nameof(Conv1dKernels.Update)),
        static k =>
        [
            TypeConstants.Storage(k.Options.Input), TypeConstants.ElementOps(k.Options.Input),
            TypeConstants.Flag(k.Options.Bias), TypeConstants.Flag(k.Options.Silu),
        ]);

    /// <summary>Creates the operation; it compiles only through <paramref name="registry"/>.</summary>
    public CausalConv1d(KernelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
    }

    /// <summary>The registry every compilation goes through.</summary>
    public KernelRegistry Registry { get; }

    private Accelerator Accelerator => Registry.Accelerator;

    private bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The update kernel's key, e.g. <c>C=5376,K=4,silu=1,bias=1,in=f32</c>.</summary>
    public static string UpdateKey(Conv1dShape shape, Conv1dOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        return $"{shape},{options}";
    }

    /// <summary>The prefill kernel's key: the update key plus <c>,init=0|1</c>.</summary>
    public static string PrefillKey(Conv1dShape shape, Conv1dOptions options, bool initialStates) =>
        $"{UpdateKey(shape, options)},init={(initialStates ? 1 : 0)}";

    /// <summary>The default prefill configuration for this registry's accelerator.</summary>
    public ConvPrefillConfig DefaultPrefillConfig => ConvPrefillConfig.Default(IsCuda);

    /// <summary>The default update configuration for this registry's accelerator.</summary>
    public ConvUpdateConfig DefaultUpdateConfig => ConvUpdateConfig.Default(IsCuda);

    /// <summary>The candidate prefill configurations for this registry's accelerator.</summary>
    public IReadOnlyList<ConvPrefillConfig> PrefillCandidates => ConvPrefillConfig.Candidates(IsCuda);

    /// <summary>The candidate update configurations for this registry's accelerator.</summary>
    public IReadOnlyList<ConvUpdateConfig> UpdateCandidates => ConvUpdateConfig.Candidates(IsCuda);

    /// <summary>Compiles the prefill kernel for this code path without running it (warmup).</summary>
    /// <exception cref="ArgumentException">The configuration does not fit the accelerator.</exception>
    public void PreparePrefill(Conv1dShape shape, Conv1dOptions options, bool initialStates, ConvPrefillConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        config ??= DefaultPrefillConfig;
        CheckGroupSize(config.GroupSize, config);
        _ = options.Input switch
        {
            Dtype.F32 => (Delegate)PrefillLauncher<float>(shape, options, initialStates, config),
            Dtype.F16 => PrefillLauncher<Half>(shape, options, initialStates, config),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options, "Unknown dtype."),
        };
    }

    /// <summary>Compiles the update kernel for this code path without running it (warmup).</summary>
    /// <exception cref="ArgumentException">The configuration does not fit the accelerator.</exception>
    public void PrepareUpdate(Conv1dShape shape, Conv1dOptions options, ConvUpdateConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        config ??= DefaultUpdateConfig;
        CheckGroupSize(config.GroupSize, config);
        _ = options.Input switch
        {
            Dtype.F32 => (Delegate)UpdateLauncher<float>(shape, options, config),
            Dtype.F16 => UpdateLauncher<Half>(shape, options, config),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options, "Unknown dtype."),
        };
    }

    /// <summary>
    /// Enqueues the conv over a packed varlen batch on <paramref name="stream"/> (default: the
    /// accelerator's default stream), writes the output rows of every non-padding sequence and
    /// leaves each such sequence's last K−1 inputs (zero-padded before its start, or taken from
    /// its initial state) in its slot. It does not wait.
    /// </summary>
    /// <typeparam name="T">Storage of the input dtype, matching <see cref="Conv1dOptions.Input"/>.</typeparam>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">The code path.</param>
    /// <param name="initialStates">Whether each sequence starts from its slot's conv state (else from zeros).</param>
    /// <param name="views">The tensors; input and output have <see cref="PackedSequences.TokenCount"/> rows.</param>
    /// <param name="sequences">The varlen offsets and the slot of each sequence.</param>
    /// <param name="config">The tiling; default <see cref="DefaultPrefillConfig"/>.</param>
    /// <param name="stream">The stream to launch on.</param>
    /// <exception cref="ArgumentException">A tensor, stride, slot count or configuration does not match; nothing was launched.</exception>
    public void Prefill<T>(
        Conv1dShape shape,
        Conv1dOptions options,
        bool initialStates,
        in Conv1dViews<T> views,
        PackedSequences sequences,
        ConvPrefillConfig? config = null,
        AcceleratorStream? stream = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(sequences);
        config ??= DefaultPrefillConfig;
        CheckGroupSize(config.GroupSize, config);
        var layout = Check<T>(shape, options, nameof(views), sequences.TokenCount, Lengths.Of(views));
        CheckCapacity(shape, layout, sequences.Slots.Capacity, nameof(sequences));
        var chunks = ((long)sequences.TokenCount + config.TokensPerThread - 1) / config.TokensPerThread;
        var groups = Groups(chunks * shape.Channels, config.GroupSize, nameof(sequences));

        var launcher = PrefillLauncher<T>(shape, options, initialStates, config);
        var args = Args(shape, views, layout, sequences.TokenCount, sequences.CuSeqlensView, sequences.Slots.View, sequences.SequenceCount);
        launcher(stream ?? Accelerator.DefaultStream, new KernelConfig(groups, config.GroupSize), args);
    }

    /// <summary>
    /// Enqueues one conv step for a batch of single tokens: each non-padding row convolves its
    /// slot's conv state with its input, writes its output row and shifts the input into the state.
    /// </summary>
    /// <typeparam name="T">Storage of the input dtype, matching <see cref="Conv1dOptions.Input"/>.</typeparam>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">The code path.</param>
    /// <param name="views">The tensors; input and output have <see cref="CacheSlots.Count"/> rows.</param>
    /// <param name="slots">The slot of each row (negative: padding, writes nothing).</param>
    /// <param name="config">The tiling; default <see cref="DefaultUpdateConfig"/>.</param>
    /// <param name="stream">The stream to launch on.</param>
    /// <exception cref="ArgumentException">A tensor, stride, slot count or configuration does not match; nothing was launched.</exception>
    public void Update<T>(
        Conv1dShape shape,
        Conv1dOptions options,
        in Conv1dViews<T> views,
        CacheSlots slots,
        ConvUpdateConfig? config = null,
        AcceleratorStream? stream = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(slots);
        config ??= DefaultUpdateConfig;
        CheckGroupSize(config.GroupSize, config);
        var layout = Check<T>(shape, options, nameof(views), slots.Count, Lengths.Of(views));
        CheckCapacity(shape, layout, slots.Capacity, nameof(slots));
        var groups = Groups((long)slots.Count * shape.Channels, config.GroupSize, nameof(slots));

        var launcher = UpdateLauncher<T>(shape, options, config);
        if (slots.Count == 0) return;
        var args = Args(shape, views, layout, slots.Count, default, slots.View, 0);
        launcher(stream ?? Accelerator.DefaultStream, new KernelConfig(groups, config.GroupSize), args);
    }

    // The key and config text are only built when the kernel still has to compile.
    private Action<AcceleratorStream, KernelConfig, Conv1dArgs<T>> PrefillLauncher<T>(
        Conv1dShape shape, Conv1dOptions options, bool initialStates, ConvPrefillConfig config)
        where T : unmanaged
    {
        var method = PrefillMethods.Get((options, initialStates, config));
        var compiled = Registry.IsCompiled(method);
        return Registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, Conv1dArgs<T>>>(PrefillKernelId, method,
            compiled ? string.Empty : PrefillKey(shape, options, initialStates), compiled ? string.Empty : config.ToString());
    }

    private Action<AcceleratorStream, KernelConfig, Conv1dArgs<T>> UpdateLauncher<T>(
        Conv1dShape shape, Conv1dOptions options, ConvUpdateConfig config)
        where T : unmanaged
    {
        var method = UpdateMethods.Get((options, config));
        var compiled = Registry.IsCompiled(method);
        return Registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, Conv1dArgs<T>>>(UpdateKernelId, method,
            compiled ? string.Empty : UpdateKey(shape, options), compiled ? string.Empty : config.ToString());
    }

    private static Conv1dArgs<T> Args<T>(
        Conv1dShape shape, in Conv1dViews<T> views, Layout layout, int rows, ArrayView<int> cuSeqlens, ArrayView<int> slots, int sequences)
        where T : unmanaged => new()
        {
            Input = views.Input, Output = views.Output, State = views.State, Weight = views.Weight, Bias = views.Bias,
            CuSeqlens = cuSeqlens, Slots = slots, Channels = shape.Channels, Width = shape.Width, Rows = rows,
            Sequences = sequences, InputStride = layout.Input, OutputStride = layout.Output,
        };
}
