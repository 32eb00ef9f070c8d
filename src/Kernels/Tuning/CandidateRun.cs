using ILGPU.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// One candidate as a <see cref="ICandidateTimer"/> measures it: a synchronous run, and, when the
/// tunable can, a way to enqueue a run on a stream without waiting (so device time can be measured).
/// </summary>
public sealed class CandidateRun
{
    /// <summary>Creates a candidate run; <paramref name="stream"/> and <paramref name="enqueue"/> come together or not at all.</summary>
    /// <param name="config">The candidate configuration (fake timers key their answers on it).</param>
    /// <param name="run">One run that waits for the device.</param>
    /// <param name="stream">The stream <paramref name="enqueue"/> launches on, or null.</param>
    /// <param name="enqueue">One run enqueued on <paramref name="stream"/> without waiting, or null.</param>
    /// <exception cref="ArgumentException">Only one of <paramref name="stream"/> and <paramref name="enqueue"/> was given.</exception>
    public CandidateRun(string config, Action run, AcceleratorStream? stream = null, Action? enqueue = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(run);
        if ((stream is null) != (enqueue is null))
            throw new ArgumentException(
                $"Candidate '{config}': give both a stream and an enqueue action, or neither (got only the {(stream is null ? "enqueue action" : "stream")}).",
                stream is null ? nameof(stream) : nameof(enqueue));
        Config = config;
        Run = run;
        Stream = stream;
        Enqueue = enqueue;
    }

    /// <summary>The candidate configuration.</summary>
    public string Config { get; }

    /// <summary>One run that waits for the device.</summary>
    public Action Run { get; }

    /// <summary>The stream <see cref="Enqueue"/> launches on, or null when the candidate only runs synchronously.</summary>
    public AcceleratorStream? Stream { get; }

    /// <summary>One run enqueued on <see cref="Stream"/> without waiting, or null.</summary>
    public Action? Enqueue { get; }

    /// <summary>Creates the run of <paramref name="config"/> of <paramref name="op"/>, with its enqueue form when it has a stream.</summary>
    public static CandidateRun Of(ITunable op, string config)
    {
        ArgumentNullException.ThrowIfNull(op);
        var stream = op.Stream;
        return new CandidateRun(config, () => op.Run(config), stream, stream is null ? null : () => op.Enqueue(config));
    }
}
