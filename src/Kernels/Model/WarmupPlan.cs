using WarmGate.Kernels.Layers;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Model;

/// <summary>What one warmup step runs.</summary>
public enum WarmupStepKind
{
    /// <summary>A packed prefill from empty state.</summary>
    Prefill,

    /// <summary>A packed prefill that continues from cached conv and SSM states (chunked prefill).</summary>
    PrefillContinue,

    /// <summary>One decode step over a batch of cached sequences.</summary>
    Decode,

    /// <summary>
    /// A whole greedy generation through the public API: reaches no new kernel key, but runs the
    /// serving code path once so the .NET JIT has compiled it before the first real request, and
    /// sizes the runtime's pooled cache. Its prompts are an array (<c>int[][]</c>): a caller passing
    /// another collection type pays the JIT of that type's members on its own first request.
    /// </summary>
    Generate,
}

/// <summary>One step of a warmup plan: a request shape that reaches some compile keys.</summary>
/// <param name="Name">A short name for logs.</param>
/// <param name="Kind">What it runs.</param>
/// <param name="Lengths">The prompt length of each sequence (decode: one token each).</param>
public sealed record WarmupStep(string Name, WarmupStepKind Kind, IReadOnlyList<int> Lengths);

/// <summary>
/// Every compile and tuning key a Mamba2 model can hit, derived from its config, and the small
/// set of requests that reaches each of them once. Warmup runs it; <c>warmgate tune</c> runs the
/// same plan to build a tuning table, so the two can never disagree. No key depends on sequence
/// length or batch size, so after this plan no request shape compiles or tunes anything.
/// </summary>
public sealed class WarmupPlan
{
    private WarmupPlan(Mamba2Config config, IReadOnlyList<WarmupStep> steps, IReadOnlyList<(string Kernel, string Key)> tunedKeys)
    {
        Config = config;
        Steps = steps;
        TunedKeys = tunedKeys;
    }

    /// <summary>The model config the plan was derived from.</summary>
    public Mamba2Config Config { get; }

    /// <summary>The requests to run, in order.</summary>
    public IReadOnlyList<WarmupStep> Steps { get; }

    /// <summary>The (kernel, key) pairs the autotuner must have resolved after the plan ran.</summary>
    public IReadOnlyList<(string Kernel, string Key)> TunedKeys { get; }

    /// <summary>
    /// Derives the plan. <paramref name="tuningTokens"/> is the prefill length the tuner measures
    /// on (representative of real requests: a few thousand tokens on a GPU, a few chunks on the CPU).
    /// </summary>
    public static WarmupPlan For(Mamba2Config config, int tuningTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tuningTokens);
        var q = config.ChunkSize;
        WarmupStep[] steps =
        [
            new("prefill", WarmupStepKind.Prefill, [tuningTokens]),
            new("prefill-varlen", WarmupStepKind.Prefill, [1, q + 1, 2]),
            new("prefill-continue", WarmupStepKind.PrefillContinue, [q + 3, 1]),
            new("decode", WarmupStepKind.Decode, [1, 1]),
            new("generate", WarmupStepKind.Generate, [2]),
        ];
        var shape = Mamba2Runtime.SsdShapeOf(config);
        (string, string)[] keys =
        [
            (KernelCatalog.SsdPrefill, SsdKey.Of(shape, Mamba2Runtime.SsdOptionsOf(config, initialStates: false))),
            (KernelCatalog.SsdPrefill, SsdKey.Of(shape, Mamba2Runtime.SsdOptionsOf(config, initialStates: true))),
            (Linear.KernelId, Linear.Key(config.HiddenSize, config.InProjOutSize, config.UseBias)),
            (Linear.KernelId, Linear.Key(config.IntermediateSize, config.HiddenSize, config.UseBias)),
            (Linear.KernelId, Linear.Key(config.HiddenSize, config.VocabSize, hasBias: false)),
        ];
        return new WarmupPlan(config, steps, keys.Distinct().ToArray());
    }

    /// <summary>The plan with the default tuning length for a device kind.</summary>
    public static WarmupPlan For(Mamba2Config config, bool cuda) =>
        For(config, cuda ? 2048 : (2 * config.ChunkSize) + 5);
}
