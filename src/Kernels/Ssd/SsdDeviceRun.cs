using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// One SSD prefill problem held on the device: host inputs uploaded once in the options'
/// dtypes, so each timed run only enqueues the five kernels.
/// </summary>
public abstract class SsdDeviceRun : IDisposable
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
}

/// <summary>An <see cref="SsdDeviceRun"/> with input dtype <typeparamref name="T"/> and state dtype <typeparamref name="TState"/>.</summary>
/// <typeparam name="T">float or ILGPU Half.</typeparam>
/// <typeparam name="TState">float or ILGPU Half.</typeparam>
public sealed class SsdDeviceRun<T, TState> : SsdDeviceRun
    where T : unmanaged
    where TState : unmanaged
{
    private readonly SsdPrefill prefill;
    private readonly SsdShape shape;
    private readonly SsdOptions options;
    private readonly List<MemoryBuffer> buffers = [];
    private readonly SsdPrefillArgs<T, TState> args;

    /// <summary>Uploads <paramref name="inputs"/> (rounded to <typeparamref name="T"/>) and allocates y and the final states.</summary>
    public SsdDeviceRun(SsdPrefill prefill, SsdShape shape, SsdOptions options, SsdHostInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(inputs);
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

    /// <inheritdoc/>
    public override int Tokens => args.Tokens;

    /// <summary>The device operands (for callers that launch themselves).</summary>
    public SsdPrefillArgs<T, TState> Args => args;

    /// <inheritdoc/>
    public override void Enqueue(AcceleratorStream stream, SsdPrefillConfig config) =>
        prefill.Run(stream, shape, options, config, args);

    /// <inheritdoc/>
    public override (float[] Y, float[] FinalStates) Download(AcceleratorStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Synchronize();
        return (HostConvert.ToFloat(args.Y.GetAsArray(stream)), HostConvert.ToFloat(args.FinalStates.GetAsArray(stream)));
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (var buffer in buffers) buffer.Dispose();
        buffers.Clear();
    }

    private ArrayView<TOut> Upload<TOut>(float[] values)
        where TOut : unmanaged
    {
        var buffer = prefill.Accelerator.Allocate1D(HostConvert.To<TOut>(values));
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
