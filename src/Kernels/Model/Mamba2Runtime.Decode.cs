using ILGPU;
using WarmGate.Kernels.Decode;

namespace WarmGate.Kernels.Model;

public sealed partial class Mamba2Runtime
{
    /// <summary>
    /// One decode step: feeds <c>tokens[i]</c> to the sequence in cache slot <c>slots[i]</c> and
    /// returns its next-token logits. A negative slot is padding: that row reads and writes no
    /// state and its logits are meaningless.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a token is outside the vocabulary or a slot outside the cache; nothing was launched.</exception>
    public float[][] Decode(int[] tokens, Mamba2Cache cache, int[] slots)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(slots);
        if (tokens.Length != slots.Length)
            throw new ArgumentException($"{tokens.Length} tokens but {slots.Length} slots; give one slot per token.", nameof(slots));
        if (tokens.Length == 0) throw new ArgumentException("At least one token is needed.", nameof(tokens));
        cache.CheckSlots(slots.Where(s => s >= 0).ToArray(), nameof(slots));

        lock (gate)
        {
            var c = Config;
            int b = tokens.Length, hd = c.HiddenSize, inner = c.IntermediateSize, convDim = c.ConvDim, proj = c.InProjOutSize;
            var stream = Device.Accelerator.DefaultStream;
            // Token ids and slots in one staged upload.
            var staged = workspace.Stage(2 * b);
            tokens.CopyTo(staged);
            slots.CopyTo(staged[b..]);
            var indices = workspace.Upload("indices", 2 * b);
            var cacheSlots = new CacheSlots(slots, indices.SubView(b, b), cache.Slots);
            var hidden = workspace.Get<float>("hidden", (long)b * hd);
            elementwise.Gather(DeviceWeights.Embeddings.View, c.VocabSize, hd, indices.SubView(0, b), tokens, hidden);
            var shape = new StateUpdateShape(c.NumHeads, c.HeadDim, c.NGroups, c.StateSize);
            // transformers' Mamba2 clamps dt to time_step_limit in decode too (torch path); so does this runtime.
            var options = new StateUpdateOptions(
                D: DSkip.PerHead, Z: false, DtBias: true, DtSoftplus: true,
                DtMin: (float)c.TimeStepLimitMin, DtMax: (float)c.TimeStepLimitMax);

            for (var layer = 0; layer < c.NumHiddenLayers; layer++)
            {
                var w = DeviceWeights.Layers[layer];
                var projected = MixerInput(w, hidden, b);
                var xbc = workspace.Get<float>("xbc", (long)b * convDim);
                conv.Update(ConvShapeOf(c), ConvOptionsOf(c), new Conv1dViews<float>
                {
                    Input = projected.SubView(inner), InputStride = proj, Output = xbc, OutputStride = convDim,
                    Weight = w.ConvWeight.View, Bias = w.ConvBias?.View ?? default, State = cache.Conv(layer),
                }, cacheSlots, stream: stream);
                var y = workspace.Get<float>("y", (long)b * inner);
                stateUpdate.Run(shape, options, new StateUpdateViews<float, float>
                {
                    State = cache.Ssm(layer),
                    X = xbc, XStride = convDim,
                    Dt = projected.SubView(inner + convDim), DtStride = proj,
                    A = w.A.View,
                    B = xbc.SubView(inner), BStride = convDim,
                    C = xbc.SubView(inner + (c.NGroups * c.StateSize)), CStride = convDim,
                    D = w.D.View, DtBias = w.DtBias.View,
                    Y = y, YStride = inner,
                }, cacheSlots, stream: stream);
                MixerOutput(w, projected, y, hidden, b);
            }
            var logits = LmHead(hidden, b);
            var vocab = c.VocabSize;
            return Enumerable.Range(0, b).Select(i => logits.AsSpan(i * vocab, vocab).ToArray()).ToArray();
        }
    }

    /// <summary>The index of the largest logit (the first on ties), as greedy decoding picks it.</summary>
    public static int ArgMax(float[] logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    /// <summary>
    /// Greedy generation for a batch of prompts: one packed prefill, then
    /// <paramref name="maxNewTokens"/> − 1 decode steps. Returns the new tokens of each prompt.
    /// </summary>
    public int[][] Generate(IReadOnlyList<int[]> prompts, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNewTokens);
        // A pooled cache: the prefill from zeros below overwrites every state of its slots.
        var cache = caches.Rent(prompts.Count);
        try
        {
            // Loops, not LINQ, over the caller's collection: a collection type warmup did not use
            // would otherwise JIT-compile new LINQ iterators during the first request.
            var slots = new int[prompts.Count];
            var generated = new int[prompts.Count][];
            for (var s = 0; s < slots.Length; s++)
            {
                slots[s] = s;
                generated[s] = new int[maxNewTokens];
            }
            var logits = Prefill(prompts, cache);
            for (var step = 0; ; step++)
            {
                var next = logits.Select(ArgMax).ToArray();
                for (var s = 0; s < prompts.Count; s++) generated[s][step] = next[s];
                if (step + 1 == maxNewTokens) return generated;
                logits = Decode(next, cache, slots);
            }
        }
        finally
        {
            caches.Return(cache);
        }
    }
}
