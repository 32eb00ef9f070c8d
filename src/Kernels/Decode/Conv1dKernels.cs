using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Decode;

/// <summary>The arguments of the conv1d kernels: views plus checked sizes and strides.</summary>
internal struct Conv1dArgs<T>
    where T : unmanaged
{
    public ArrayView<T> Input;
    public ArrayView<T> Output;
    public ArrayView<T> State;
    public ArrayView<float> Weight;
    public ArrayView<float> Bias;
    public ArrayView<int> CuSeqlens;
    public ArrayView<int> Slots;
    public int Channels;
    public int Width;
    public int Rows;
    public int Sequences;
    public int InputStride;
    public int OutputStride;
}

/// <summary>
/// Causal depthwise conv1d: <c>out[t,c] = act(bias[c] + Σ_k w[c,k]·in[t−K+1+k, c])</c>, where
/// inputs before a sequence's start come from its conv state (initial states) or are zero.
/// </summary>
internal static class Conv1dKernels
{
    /// <summary>
    /// Prefill over a packed varlen batch. Thread <c>(chunk, c)</c> handles channel c of tokens
    /// <c>[chunk·TT, chunk·TT + TT)</c>. A token at least K−1 into its sequence reads only packed
    /// inputs. The first token of a sequence instead does the sequence's first min(K−1, L)
    /// outputs and then writes its conv state: only that thread reads or writes the slot's
    /// state for channel c, so reading the initial state and writing the final one cannot race.
    /// </summary>
    public static void Prefill<T, TOps, THasBias, TSilu, TInit, TTokens>(Conv1dArgs<T> a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where THasBias : struct, IFlag
        where TSilu : struct, IFlag
        where TInit : struct, IFlag
        where TTokens : struct, IConstant
    {
        var i = Grid.GlobalIndex.X;
        var chunks = (a.Rows + default(TTokens).Value - 1) / default(TTokens).Value;
        if (i >= chunks * a.Channels) return;
        var c = i % a.Channels;
        var t0 = i / a.Channels * default(TTokens).Value;
        var t1 = Math.Min(t0 + default(TTokens).Value, a.Rows);

        var s = FindSequence(a.CuSeqlens, a.Sequences, t0);
        for (var t = t0; t < t1; t++)
        {
            while (t >= a.CuSeqlens[s + 1]) s++;
            var slot = a.Slots[s];
            if (slot < 0) continue;
            var start = a.CuSeqlens[s];
            var local = t - start;
            if (local >= a.Width - 1)
            {
                Store<T, TOps>(a, t, c, Tap<T, TOps, THasBias, TSilu, TInit>(a, start, c, slot, local));
            }
            else if (local == 0)
            {
                var length = a.CuSeqlens[s + 1] - start;
                var head = Math.Min(a.Width - 1, length);
                for (var l = 0; l < head; l++)
                    Store<T, TOps>(a, start + l, c, Tap<T, TOps, THasBias, TSilu, TInit>(a, start, c, slot, l));
                // Ascending j reads state index L + j > j: never one already overwritten.
                var state = ((long)slot * a.Channels + c) * (a.Width - 1);
                for (var j = 0; j < a.Width - 1; j++)
                    a.State[state + j] = default(TOps).FromFloat(Input<T, TOps, TInit>(a, start, c, slot, length - (a.Width - 1) + j));
            }
        }
    }

    /// <summary>
    /// One decode step: thread <c>(row, c)</c> convolves the slot's state with the new input,
    /// shifts the state left by one and appends the input. Padding rows (negative slot) do nothing.
    /// </summary>
    public static void Update<T, TOps, THasBias, TSilu>(Conv1dArgs<T> a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where THasBias : struct, IFlag
        where TSilu : struct, IFlag
    {
        var i = Grid.GlobalIndex.X;
        if (i >= a.Rows * a.Channels) return;
        var c = i % a.Channels;
        var row = i / a.Channels;
        var slot = a.Slots[row];
        if (slot < 0) return;

        var k1 = a.Width - 1;
        var state = ((long)slot * a.Channels + c) * k1;
        var weight = (long)c * a.Width;
        var x = a.Input[(long)row * a.InputStride + c];
        var acc = default(THasBias).Value ? a.Bias[c] : 0f;
        for (var k = 0; k < k1; k++)
            acc += a.Weight[weight + k] * default(TOps).ToFloat(a.State[state + k]);
        acc += a.Weight[weight + k1] * default(TOps).ToFloat(x);
        for (var k = 0; k + 1 < k1; k++)
            a.State[state + k] = a.State[state + k + 1];
        if (k1 > 0) a.State[state + k1 - 1] = x;
        a.Output[(long)row * a.OutputStride + c] = default(TOps).FromFloat(Activate<TSilu>(acc));
    }

    /// <summary>The sequence holding token <paramref name="t"/>: the last s with cuSeqlens[s] ≤ t.</summary>
    private static int FindSequence(ArrayView<int> cuSeqlens, int sequences, int t)
    {
        int lo = 0, hi = sequences - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (cuSeqlens[mid] <= t) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The output at position <paramref name="local"/> of the sequence starting at <paramref name="start"/>.</summary>
    private static float Tap<T, TOps, THasBias, TSilu, TInit>(Conv1dArgs<T> a, int start, int c, int slot, int local)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where THasBias : struct, IFlag
        where TSilu : struct, IFlag
        where TInit : struct, IFlag
    {
        var acc = default(THasBias).Value ? a.Bias[c] : 0f;
        var weight = (long)c * a.Width;
        for (var k = 0; k < a.Width; k++)
            acc += a.Weight[weight + k] * Input<T, TOps, TInit>(a, start, c, slot, local - (a.Width - 1) + k);
        return Activate<TSilu>(acc);
    }

    /// <summary>
    /// Input <paramref name="j"/> of a sequence (relative to its start): packed input for
    /// j ≥ 0, else the initial conv state (its newest entry is j = −1) or zero.
    /// </summary>
    private static float Input<T, TOps, TInit>(Conv1dArgs<T> a, int start, int c, int slot, int j)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TInit : struct, IFlag
    {
        if (j >= 0) return default(TOps).ToFloat(a.Input[(long)(start + j) * a.InputStride + c]);
        if (!default(TInit).Value) return 0f;
        return default(TOps).ToFloat(a.State[((long)slot * a.Channels + c) * (a.Width - 1) + a.Width - 1 + j]);
    }

    private static void Store<T, TOps>(Conv1dArgs<T> a, int t, int c, float value)
        where T : unmanaged
        where TOps : struct, IElementOps<T> =>
        a.Output[(long)t * a.OutputStride + c] = default(TOps).FromFloat(value);

    private static float Activate<TSilu>(float v)
        where TSilu : struct, IFlag => default(TSilu).Value ? v / (1f + DeviceMath.Exp(-v)) : v;
}
