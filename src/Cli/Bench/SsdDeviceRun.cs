using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;
using Half = ILGPU.Half;

namespace WarmGate.Cli.Bench;

/// <summary>
/// One SSD prefill problem held on the device: host inputs uploaded once in the options'
/// dtypes, so each timed run only enqueues the five kernels.
/// </summary>
internal abstract class SsdDeviceRun : IDisposable
{
    /// <summary>Uploads <paramref name="inputs"/> for <paramref name="prefill"/>'s accelerator.</summary>
    public static SsdDeviceRun Create(SsdPrefill prefill, SsdShape shape, SsdOptions options, SsdHostInputs inputs) =>
        (options.InputDtype, options.StateDtype) switch
        {
            (Dtype.F32, Dtype.F32) => new SsdDeviceRun<float, float>(prefill, shape, options, inputs),
            (Dtype.F32, Dtype.F16) => new SsdDeviceRun<float, Half>(prefill, shape, options, inputs),
            (Dtype.F16, Dtype.F32) => new SsdDeviceRun<Half, float>(prefill, shape, options, inputs),
            _ => new SsdDeviceRun<Half, Half>(prefill, shape, options, inputs),
        };

    /// <summary>The token count.</summary>
    public abstract int Tokens { get; }

    /// <summary>Enqueues one prefill with <paramref name="config"/> on <paramref name="stream"/>; does not wait.</summary>
    public abstract void Enqueue(AcceleratorStream stream, SsdPrefillConfig config);

    /// <summary>Waits for <paramref name="stream"/> and downloads y and the final states, widened to fp32.</summary>
    public abstract (float[] Y, float[] FinalStates) Download(AcceleratorStream stream);

    /// <inheritdoc/>
    public abstract void Dispose();

    /// <summary>Converts fp32 host values to the storage type.</summary>
    internal static T[] ToStorage<T>(float[] values)
        where T : unmanaged
    {
        if (values is T[] same) return same;
        var result = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (Half)values[i];
        return (T[])(object)result;
    }

    /// <summary>Widens storage values to fp32.</summary>
    internal static float[] ToFloat<T>(T[] values)
        where T : unmanaged
    {
        if (values is float[] floats) return floats;
        var halves = (Half[])(object)values;
        var result = new float[halves.Length];
        for (var i = 0; i < halves.Length; i++) result[i] = halves[i];
        return result;
    }
}

/// <inheritdoc/>
internal sealed class SsdDeviceRun<T, TState> : SsdDeviceRun
    where T : unmanaged
    where TState : unmanaged
{
    private readonly SsdPrefill prefill;
    private readonly SsdShape shape;
    private readonly SsdOptions options;
    private readonly List<MemoryBuffer> buffers = [];
    private readonly SsdPrefillArgs<T, TState> args;

    public SsdDeviceRun(SsdPrefill prefill, SsdShape shape, SsdOptions options, SsdHostInputs inputs)
    {
        this.prefill = prefill;
        this.shape = shape;
        this.options = options;
        try
        {
            args = new SsdPrefillArgs<T, TState>
            {
                Tokens = inputs.Tokens,
                CuSeqlens = inputs.CuSeqlens,
                X = Upload<T>(inputs.X),
                XStride = inputs.XStride,
                Dt = Upload<T>(inputs.Dt),
                DtStride = inputs.DtStride,
                A = Upload<float>(inputs.A),
                B = Upload<T>(inputs.B),
                BStride = inputs.BStride,
                C = Upload<T>(inputs.C),
                CStride = inputs.CStride,
                DtBias = inputs.DtBias is null ? null : Upload<float>(inputs.DtBias),
                D = inputs.D is null ? null : Upload<float>(inputs.D),
                Z = inputs.Z is null ? null : Upload<T>(inputs.Z),
                ZStride = inputs.ZStride,
                InitialStates = inputs.InitialStates is null ? null : Upload<TState>(inputs.InitialStates),
                Y = Allocate<T>((long)inputs.Tokens * shape.HeadWidth),
                FinalStates = Allocate<TState>((long)inputs.Sequences * shape.StatePerSequence),
            };
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override int Tokens => args.Tokens;

    public override void Enqueue(AcceleratorStream stream, SsdPrefillConfig config) =>
        prefill.Run(stream, shape, options, config, args);

    public override (float[] Y, float[] FinalStates) Download(AcceleratorStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Synchronize();
        return (ToFloat(args.Y.GetAsArray(stream)), ToFloat(args.FinalStates.GetAsArray(stream)));
    }

    public override void Dispose()
    {
        foreach (var buffer in buffers) buffer.Dispose();
        buffers.Clear();
    }

    private ArrayView<TOut> Upload<TOut>(float[] values)
        where TOut : unmanaged
    {
        var buffer = prefill.Accelerator.Allocate1D(ToStorage<TOut>(values));
        buffers.Add(buffer);
        return buffer.View;
    }

    private ArrayView<TOut> Allocate<TOut>(long length)
        where TOut : unmanaged
    {
        var buffer = prefill.Accelerator.Allocate1D<TOut>(length);
        buffers.Add(buffer);
        return buffer.View;
    }
}
