using ILGPU.Runtime;

namespace WarmGate.Kernels.Decode;

/// <summary>The host-array entry points of <see cref="CausalConv1d"/> (upload, run, wait, download).</summary>
public sealed partial class CausalConv1d
{
    /// <summary>
    /// Runs <see cref="Prefill{T}(Conv1dShape, Conv1dOptions, bool, in Conv1dViews{T}, PackedSequences, ConvPrefillConfig?, ILGPU.Runtime.AcceleratorStream?)"/>
    /// on host arrays and writes <see cref="Conv1dArrays{T}.Output"/> and <see cref="Conv1dArrays{T}.State"/> back in place.
    /// </summary>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">The code path.</param>
    /// <param name="initialStates">Whether each sequence starts from its slot's conv state.</param>
    /// <param name="arrays">The tensors; input and output have <c>cuSeqlens[^1]</c> rows.</param>
    /// <param name="cuSeqlens">nseq+1 token offsets.</param>
    /// <param name="slots">nseq cache slots (negative: padding).</param>
    /// <param name="config">The tiling; default <see cref="DefaultPrefillConfig"/>.</param>
    /// <exception cref="ArgumentException">An array, offset, slot or configuration does not match; nothing was compiled or launched.</exception>
    public void Prefill<T>(
        Conv1dShape shape, Conv1dOptions options, bool initialStates, Conv1dArrays<T> arrays, int[] cuSeqlens, int[] slots,
        ConvPrefillConfig? config = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(cuSeqlens);
        ArgumentNullException.ThrowIfNull(slots);
        config ??= DefaultPrefillConfig;
        CheckGroupSize(config.GroupSize, config);
        PackedSequences.Validate(cuSeqlens, nameof(cuSeqlens));
        var layout = Check<T>(shape, options, nameof(arrays), cuSeqlens[^1], Lengths.Of(arrays));

        using var sequences = new PackedSequences(Accelerator, cuSeqlens, slots, layout.CacheSlots);   // checks the slots first
        RunOnDevice(arrays, views => Prefill(shape, options, initialStates, views, sequences, config));
    }

    /// <summary>
    /// Runs <see cref="Update{T}(Conv1dShape, Conv1dOptions, in Conv1dViews{T}, CacheSlots, ConvUpdateConfig?, ILGPU.Runtime.AcceleratorStream?)"/>
    /// on host arrays and writes <see cref="Conv1dArrays{T}.Output"/> and <see cref="Conv1dArrays{T}.State"/> back in place.
    /// </summary>
    /// <param name="shape">Channels and width.</param>
    /// <param name="options">The code path.</param>
    /// <param name="arrays">The tensors; input and output have <c>slots.Length</c> rows.</param>
    /// <param name="slots">The slot of each row (negative: padding).</param>
    /// <param name="config">The tiling; default <see cref="DefaultUpdateConfig"/>.</param>
    /// <exception cref="ArgumentException">An array, slot or configuration does not match; nothing was compiled or launched.</exception>
    public void Update<T>(Conv1dShape shape, Conv1dOptions options, Conv1dArrays<T> arrays, int[] slots, ConvUpdateConfig? config = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(slots);
        config ??= DefaultUpdateConfig;
        CheckGroupSize(config.GroupSize, config);
        var layout = Check<T>(shape, options, nameof(arrays), slots.Length, Lengths.Of(arrays));

        using var deviceSlots = new CacheSlots(Accelerator, slots, layout.CacheSlots);
        RunOnDevice(arrays, views => Update(shape, options, views, deviceSlots, config));
    }

    private void RunOnDevice<T>(Conv1dArrays<T> arrays, Action<Conv1dViews<T>> run)
        where T : unmanaged
    {
        using var buffers = new HostUpload(Accelerator);
        var views = new Conv1dViews<T>
        {
            Input = buffers.Upload(arrays.Input), Output = buffers.Upload(arrays.Output),
            Weight = buffers.Upload(arrays.Weight), State = buffers.Upload(arrays.State), Bias = buffers.Upload(arrays.Bias),
            InputStride = arrays.InputStride, OutputStride = arrays.OutputStride,
        };
        run(views);
        Accelerator.Synchronize();
        if (arrays.Output.Length > 0) views.Output.CopyToCPU(arrays.Output);
        if (arrays.State.Length > 0) views.State.CopyToCPU(arrays.State);
    }
}
