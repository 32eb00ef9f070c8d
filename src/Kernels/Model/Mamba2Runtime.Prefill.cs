using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Model;

public sealed partial class Mamba2Runtime
{
    /// <summary>
    /// Runs the prompts as one packed (varlen) prefill and returns each prompt's logits after its
    /// last token. Sequence s uses cache slot <c>firstSlot + s</c>; with
    /// <paramref name="continueFromCache"/> it starts from that slot's conv and SSM states
    /// (chunked prefill), otherwise from zeros.
    /// </summary>
    /// <exception cref="ArgumentException">An empty prompt, a token outside the vocabulary, or slots outside the cache; nothing was launched.</exception>
    public float[][] Prefill(IReadOnlyList<int[]> prompts, Mamba2Cache cache, int firstSlot = 0, bool continueFromCache = false)
    {
        var logits = PrefillCore(prompts, cache, firstSlot, continueFromCache, allPositions: false);
        var vocab = Config.VocabSize;
        return Enumerable.Range(0, prompts.Count).Select(s => logits.AsSpan(s * vocab, vocab).ToArray()).ToArray();
    }

    /// <summary>Runs one prompt from empty state and returns the logits at every position (positions × vocab).</summary>
    public float[][] PrefillAllLogits(int[] prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var cache = caches.Rent(1);
        try
        {
            var logits = PrefillCore([prompt], cache, 0, continueFromCache: false, allPositions: true);
            var vocab = Config.VocabSize;
            return Enumerable.Range(0, prompt.Length).Select(t => logits.AsSpan(t * vocab, vocab).ToArray()).ToArray();
        }
        finally
        {
            caches.Return(cache);
        }
    }

    private float[] PrefillCore(IReadOnlyList<int[]> prompts, Mamba2Cache cache, int firstSlot, bool continueFromCache, bool allPositions)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(cache);
        if (prompts.Count == 0) throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        var nseq = prompts.Count;
        var cu = new int[nseq + 1];
        for (var s = 0; s < nseq; s++)
        {
            if (prompts[s] is not { Length: > 0 })
                throw new ArgumentException($"Prompt {s} is empty; every prompt needs at least one token.", nameof(prompts));
            cu[s + 1] = checked(cu[s] + prompts[s].Length);
        }
        var slots = new int[nseq];
        for (var s = 0; s < nseq; s++) slots[s] = firstSlot + s;
        cache.CheckSlots(slots, nameof(firstSlot));

        lock (gate)
        {
            var c = Config;
            int t = cu[^1], hd = c.HiddenSize, inner = c.IntermediateSize, convDim = c.ConvDim, proj = c.InProjOutSize;
            var stream = Device.Accelerator.DefaultStream;

            // Every index of the request in one staged upload: token ids, offsets, slots, last rows.
            int cuAt = t, slotsAt = cuAt + nseq + 1, lastAt = slotsAt + nseq;
            var staged = workspace.Stage(lastAt + nseq);
            for (var s = 0; s < nseq; s++)
            {
                prompts[s].CopyTo(staged[cu[s]..]);
                staged[lastAt + s] = cu[s + 1] - 1;
            }
            cu.CopyTo(staged[cuAt..]);
            slots.CopyTo(staged[slotsAt..]);
            var indices = workspace.Upload("indices", staged.Length);
            var packed = new PackedSequences(
                cu, indices.SubView(cuAt, nseq + 1), new CacheSlots(slots, indices.SubView(slotsAt, nseq), cache.Slots));

            var hidden = workspace.Get<float>("hidden", (long)t * hd);
            elementwise.Gather(DeviceWeights.Embeddings.View, c.VocabSize, hd, indices.SubView(0, t), staged[..t], hidden);
            var shape = SsdShapeOf(c);
            var options = SsdOptionsOf(c, continueFromCache);

            for (var layer = 0; layer < c.NumHiddenLayers; layer++)
            {
                var w = DeviceWeights.Layers[layer];
                var projected = MixerInput(w, hidden, t);
                var xbc = workspace.Get<float>("xbc", (long)t * convDim);
                conv.Prefill(ConvShapeOf(c), ConvOptionsOf(c), continueFromCache, new Conv1dViews<float>
                {
                    Input = projected.SubView(inner), InputStride = proj, Output = xbc, OutputStride = convDim,
                    Weight = w.ConvWeight.View, Bias = w.ConvBias?.View ?? default, State = cache.Conv(layer),
                }, packed, stream: stream);

                var y = workspace.Get<float>("y", (long)t * inner);
                var slotSize = cache.SsmSlotSize;
                ArrayView<float>? initial = null;
                if (continueFromCache)
                {
                    var copy = workspace.Get<float>("ssm-init", (long)nseq * slotSize);
                    cache.Ssm(layer).SubView((long)firstSlot * slotSize, (long)nseq * slotSize).CopyTo(copy);
                    initial = copy;
                }
                var args = new SsdPrefillArgs<float, float>
                {
                    Tokens = t, CuSeqlens = cu,
                    X = xbc, XStride = convDim,
                    Dt = projected.SubView(inner + convDim), DtStride = proj,
                    A = w.A.View,
                    B = xbc.SubView(inner), BStride = convDim,
                    C = xbc.SubView(inner + (c.NGroups * c.StateSize)), CStride = convDim,
                    DtBias = w.DtBias.View, D = w.D.View, InitialStates = initial,
                    Y = y, FinalStates = cache.Ssm(layer).SubView((long)firstSlot * slotSize, (long)nseq * slotSize),
                };
                ssd.Run(stream, shape, options, ResolveSsd(stream, shape, options, args), args);
                MixerOutput(w, projected, y, hidden, t);
            }
            return allPositions
                ? LmHead(hidden, t)
                : LmHead(hidden, t, indices.SubView(lastAt, nseq), staged.Slice(lastAt, nseq));
        }
    }

    /// <summary>Pre-norm and in_proj of one layer: returns tokens × in_proj_out.</summary>
    private ArrayView<float> MixerInput(Mamba2LayerBuffers w, ArrayView<float> hidden, int rows)
    {
        var c = Config;
        var normed = workspace.Get<float>("normed", (long)rows * c.HiddenSize);
        norm.Run(hidden, rows, c.HiddenSize, c.HiddenSize, w.Norm.View, (float)c.LayerNormEpsilon, normed, c.HiddenSize);
        var projected = workspace.Get<float>("proj", (long)rows * c.InProjOutSize);
        linear.Run(normed, rows, c.HiddenSize, c.HiddenSize, w.InProj.View, c.InProjOutSize,
            w.InProjBias?.View ?? ArrayView<float>.Empty, projected, c.InProjOutSize);
        return projected;
    }

    /// <summary>Gated norm of the SSM output, out_proj, and the residual add into <paramref name="hidden"/>.</summary>
    private void MixerOutput(Mamba2LayerBuffers w, ArrayView<float> projected, ArrayView<float> y, ArrayView<float> hidden, int rows)
    {
        var c = Config;
        int inner = c.IntermediateSize, hd = c.HiddenSize;
        var gated = workspace.Get<float>("gated", (long)rows * inner);
        norm.RunGated(y, rows, inner, inner, projected, c.InProjOutSize, c.NGroups, w.MixerNorm.View, (float)c.LayerNormEpsilon, gated, inner);
        var mixed = workspace.Get<float>("mixed", (long)rows * hd);
        linear.Run(gated, rows, inner, inner, w.OutProj.View, hd, w.OutProjBias?.View ?? ArrayView<float>.Empty, mixed, hd);
        elementwise.Add(hidden, mixed, hidden, rows * hd);
    }

    /// <summary>Final norm and LM head for every row.</summary>
    private float[] LmHead(ArrayView<float> hidden, int rows) => LmHead(hidden, rows, default, [], selectRows: false);

    /// <summary>Final norm and LM head for the rows in <paramref name="lastHost"/> (uploaded as <paramref name="lastDevice"/>).</summary>
    private float[] LmHead(ArrayView<float> hidden, int rows, ArrayView<int> lastDevice, ReadOnlySpan<int> lastHost) =>
        LmHead(hidden, rows, lastDevice, lastHost, selectRows: true);

    private float[] LmHead(ArrayView<float> hidden, int rows, ArrayView<int> lastDevice, ReadOnlySpan<int> lastHost, bool selectRows)
    {
        var c = Config;
        int hd = c.HiddenSize, vocab = c.VocabSize;
        var normed = workspace.Get<float>("final", (long)rows * hd);
        norm.Run(hidden, rows, hd, hd, DeviceWeights.NormF.View, (float)c.LayerNormEpsilon, normed, hd);
        var input = normed;
        var outRows = rows;
        if (selectRows)
        {
            input = workspace.Get<float>("last", (long)lastHost.Length * hd);
            elementwise.Gather(normed, rows, hd, lastDevice, lastHost, input);
            outRows = lastHost.Length;
        }
        var logits = workspace.Get<float>("logits", (long)outRows * vocab);
        linear.Run(input, outRows, hd, hd, DeviceWeights.LmHead.View, vocab, ArrayView<float>.Empty, logits, vocab);
        Device.Accelerator.Synchronize();
        return logits.SubView(0, (long)outRows * vocab).GetAsArray();
    }

    private SsdPrefillConfig ResolveSsd(AcceleratorStream stream, SsdShape shape, SsdOptions options, SsdPrefillArgs<float, float> args) =>
        SsdPrefillConfig.Parse(Tuner.Resolve(SsdPrefillTunable.For(
            shape, options, Device.IsCuda, Device.Accelerator.MaxNumThreadsPerGroup,
            stream, config => ssd.Run(stream, shape, options, config, args))));

    internal static SsdShape SsdShapeOf(Mamba2Config c) => new(c.NumHeads, c.HeadDim, c.NGroups, c.StateSize);

    internal static SsdOptions SsdOptionsOf(Mamba2Config c, bool initialStates) => new()
    {
        DtSoftplus = true,
        HasDtBias = true,
        DtMin = (float)c.TimeStepLimitMin,
        DtMax = (float)c.TimeStepLimitMax,
        DMode = SsdDMode.PerHead,
        HasInitialStates = initialStates,
    };

    internal static Conv1dShape ConvShapeOf(Mamba2Config c) => new(c.ConvDim, c.ConvKernel);

    internal static Conv1dOptions ConvOptionsOf(Mamba2Config c) => new(Bias: c.UseConvBias, Silu: true);
}
