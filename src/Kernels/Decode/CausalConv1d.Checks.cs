using ILGPU;

namespace WarmGate.Kernels.Decode;

/// <summary>The argument checks of <see cref="CausalConv1d"/>, shared by the device and host entry points.</summary>
public sealed partial class CausalConv1d
{
    private readonly record struct Lengths(long Input, int InputStride, long Output, int OutputStride, long Weight, long State, long Bias)
    {
        public static Lengths Of<T>(in Conv1dViews<T> v)
            where T : unmanaged =>
            new(v.Input.Length, v.InputStride, v.Output.Length, v.OutputStride, v.Weight.Length, v.State.Length, v.Bias.Length);

        public static Lengths Of<T>(Conv1dArrays<T> a)
            where T : unmanaged =>
            new(a.Input.Length, a.InputStride, a.Output.Length, a.OutputStride, a.Weight.Length, a.State.Length, a.Bias?.Length ?? 0);
    }

    /// <summary>Checked strides and the state cache's slot count (<see cref="int.MaxValue"/> when K = 1: there is no state).</summary>
    private readonly record struct Layout(int CacheSlots, int Input, int Output);

    private static Layout Check<T>(Conv1dShape shape, Conv1dOptions options, string arg, int rows, Lengths n)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        DecodeChecks.Storage<T>(options.Input, nameof(options), "options.Input");
        DecodeChecks.Tensor P(string tensor) => new(arg, tensor);
        var input = DecodeChecks.Rows(n.Input, rows, shape.Channels, n.InputStride, P("Input"), "The conv input");
        var output = DecodeChecks.Rows(n.Output, rows, shape.Channels, n.OutputStride, P("Output"), "The conv output");
        DecodeChecks.Length(n.Weight, (long)shape.Channels * shape.Width, P("Weight"), "The conv weight (C × K)");
        if (options.Bias) DecodeChecks.Length(n.Bias, shape.Channels, P("Bias"), "The conv bias (C values, options.Bias is on)");
        else DecodeChecks.Absent(n.Bias, P("Bias"), "The conv bias", "options.Bias is off");
        int cacheSlots;
        if (shape.Width == 1)
        {
            DecodeChecks.Absent(n.State, P("State"), "A conv state", "K = 1 keeps no state");
            cacheSlots = int.MaxValue;
        }
        else
        {
            cacheSlots = DecodeChecks.Slots(n.State, shape.SlotSize, P("State"), "The conv-state cache (slots × C × (K−1))");
        }
        return new Layout(cacheSlots, input, output);
    }

    private static void CheckCapacity(Conv1dShape shape, Layout layout, int capacity, string param)
    {
        if (shape.Width > 1 && capacity > layout.CacheSlots)
        {
            throw DecodeChecks.Error(param, "The slot indices address a larger cache than the conv state holds",
                $"a capacity <= {layout.CacheSlots} slots", $"capacity {capacity}");
        }
    }

    private void CheckGroupSize(int groupSize, object config) => DecodeChecks.GroupFits(Accelerator, groupSize, config);

    private static int Groups(long threads, int groupSize, string param)
    {
        var groups = (threads + groupSize - 1) / groupSize;
        if (threads > int.MaxValue)
            throw DecodeChecks.Error(param, "The batch needs too many threads", $"<= {int.MaxValue}", $"{threads}");
        return (int)groups;
    }
}
