using ILGPU;
using Half = ILGPU.Half;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The host-array entry point: upload, run, download (tests, the CLI, warmup).</summary>
public sealed partial class SsdPrefill
{
    private LastRun? lastRun;

    /// <summary>
    /// Uploads host inputs in the dtypes of <paramref name="options"/>, runs the prefill on the
    /// accelerator's default stream, waits, and downloads y and the final states (and, if asked,
    /// every stage's output). Validates everything before allocating anything.
    /// </summary>
    /// <param name="inputs">The inputs (fp32 values; rounded to fp16 on upload when the dtype is fp16).</param>
    /// <param name="shape">The layer shape.</param>
    /// <param name="options">The code-path options and dtypes.</param>
    /// <param name="config">The tile config.</param>
    /// <param name="captureStages">Also download every stage's intermediate output.</param>
    /// <exception cref="ArgumentException">The inputs do not match the shape and options, or the config is invalid here.</exception>
    public SsdHostResult Run(
        SsdHostInputs inputs, SsdShape shape, SsdOptions options, SsdPrefillConfig config, bool captureStages = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(config);
        SsdValidation.ValidateInputs(shape, options, inputs);
        config.Validate(Accelerator.MaxNumThreadsPerGroup, nameof(config));
        SsdValidation.IndexRange(shape, config, inputs.CuSeqlens);
        // Held across run and download so the captured stages are this call's (the lock is reentrant).
        lock (gate)
        {
            return (options.InputDtype, options.StateDtype) switch
            {
                (Dtype.F32, Dtype.F32) => RunHost<float, float>(inputs, shape, options, config, captureStages),
                (Dtype.F32, Dtype.F16) => RunHost<float, Half>(inputs, shape, options, config, captureStages),
                (Dtype.F16, Dtype.F32) => RunHost<Half, float>(inputs, shape, options, config, captureStages),
                _ => RunHost<Half, Half>(inputs, shape, options, config, captureStages),
            };
        }
    }

    private SsdHostResult RunHost<T, TState>(
        SsdHostInputs inputs, SsdShape shape, SsdOptions options, SsdPrefillConfig config, bool captureStages)
        where T : unmanaged
        where TState : unmanaged
    {
        var stream = Accelerator.DefaultStream;
        using var run = new SsdDeviceRun<T, TState>(this, shape, options, inputs);
        run.Enqueue(stream, config);
        var (y, final) = run.Download(stream);
        return new SsdHostResult(y, final, captureStages ? CaptureStages<TState>(stream) : null);
    }

    private SsdStageOutputs CaptureStages<TState>(AcceleratorStream stream)
        where TState : unmanaged
    {
        var run = lastRun ?? throw new InvalidOperationException("No run to capture.");
        return new SsdStageOutputs(
            run.Table,
            run.Dt.GetAsArray(stream),
            run.DACumsum.GetAsArray(stream),
            run.ChunkStates.GetAsArray(stream),
            HostConvert.ToFloat(run.PassedStates.Cast<TState>().GetAsArray(stream)),
            run.CB.GetAsArray(stream))
        {
            AlignedViews = run.AlignedViews,
        };
    }

    /// <summary>The workspace views of the latest run, for <see cref="CaptureStages"/>.</summary>
    private sealed record LastRun(
        SsdChunkTable Table,
        ArrayView<float> Dt,
        ArrayView<float> DACumsum,
        ArrayView<float> ChunkStates,
        ArrayView<float> CB,
        ArrayView<byte> PassedStates,
        int AlignedViews);
}

/// <summary>Converts host arrays between fp32 and the storage types.</summary>
internal static class HostConvert
{
    public static T[] To<T>(float[] values)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (T[])(object)values;
        if (typeof(T) != typeof(Half))
            throw new NotSupportedException($"Storage type {typeof(T).Name} is not supported; use float or ILGPU.Half.");
        var result = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (Half)values[i];
        return (T[])(object)result;
    }

    public static float[] ToFloat<T>(T[] values)
        where T : unmanaged
    {
        if (values is float[] floats) return floats;
        if (values is not Half[] halves)
            throw new NotSupportedException($"Storage type {typeof(T).Name} is not supported; use float or ILGPU.Half.");
        var result = new float[halves.Length];
        for (var i = 0; i < halves.Length; i++)
            result[i] = halves[i];
        return result;
    }
}
