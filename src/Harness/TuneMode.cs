namespace WarmGate.Harness;

/// <summary>How hard a <see cref="Mamba2Target"/>'s warmup tunes the keys no tuning table covers.</summary>
public enum TuneMode
{
    /// <summary>
    /// Measure only the first candidate of each key (one run, no budget): every key still goes
    /// through the tuner and compiles, in a fraction of the time. For tests on the CPU accelerator,
    /// where the timings mean nothing anyway; the default there.
    /// </summary>
    Quick,

    /// <summary>The tuner's own defaults for the device (warm-ups, timed runs, a budget per key); the default on CUDA.</summary>
    Full,
}
