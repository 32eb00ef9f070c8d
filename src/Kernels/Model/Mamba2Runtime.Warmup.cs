using System.Diagnostics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Model;

public sealed partial class Mamba2Runtime
{
    /// <summary>
    /// How many threads <see cref="Warmup"/> compiles kernels on. Above 1, warmup first dry-runs
    /// the plan with kernels that do nothing to list every kernel the plan needs (up to the first
    /// key that has to be tuned: tuning needs real data, so the dry run stops there), compiles them
    /// all concurrently, then runs the plan for real. 1 compiles each kernel when the plan first reaches it. Either way every
    /// compilation raises the same <see cref="KernelEventKind.Compiled"/> event. Defaults to the
    /// processor count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int WarmupCompileConcurrency
    {
        get => warmupCompileConcurrency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            warmupCompileConcurrency = value;
        }
    }

    private int warmupCompileConcurrency = Environment.ProcessorCount;

    /// <summary>
    /// Runs the warmup plan (the model's own by default) with random tokens: enters
    /// <see cref="KernelPhase.WarmingUp"/>, compiles the kernels the plan needs (concurrently,
    /// see <see cref="WarmupCompileConcurrency"/>), reaches every compile and tuning key once,
    /// checks that every key of the plan was resolved, then enters <see cref="KernelPhase.Serving"/>.
    /// </summary>
    /// <param name="plan">The plan; <see cref="WarmupPlan.For(Mamba2Config, bool)"/> of this model when null.</param>
    /// <param name="progress">Called with one line per step.</param>
    /// <exception cref="InvalidOperationException">The plan ran but a key it lists was not resolved (a bug in the plan).</exception>
    public WarmupReport Warmup(WarmupPlan? plan = null, Action<string>? progress = null)
    {
        plan ??= WarmupPlan.For(Config, Device.IsCuda);
        var events = new List<KernelEvent>();
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == Registry.Name)
                lock (events) events.Add(e);
        });
        var watch = Stopwatch.StartNew();
        EnterPhase(KernelPhase.WarmingUp);
        var slots = plan.Steps.Max(s => s.Lengths.Count);
        if (WarmupCompileConcurrency > 1)
            CompileConcurrently(plan, slots, progress);
        var rng = new Random(1234);
        using (var cache = CreateCache(slots))
        {
            foreach (var step in plan.Steps)
            {
                var stepWatch = Stopwatch.StartNew();
                RunStep(step, cache, rng);
                progress?.Invoke($"warmup {step.Name} ({string.Join(",", step.Lengths)} tokens): {stepWatch.Elapsed.TotalMilliseconds:F0} ms");
            }
        }
        var missing = plan.TunedKeys.Where(k => !Tuner.IsResolved(k.Kernel, k.Key)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                "The warmup plan ran but did not reach these keys: " + string.Join("; ", missing.Select(k => $"{k.Kernel} [{k.Key}]")));
        EnterPhase(KernelPhase.Serving);
        lock (events) return new WarmupReport(watch.Elapsed, [.. events]);
    }

    /// <summary>Dry-runs the plan to list its kernels, then compiles them on <see cref="WarmupCompileConcurrency"/> threads.</summary>
    private void CompileConcurrently(WarmupPlan plan, int slots, Action<string>? progress)
    {
        var watch = Stopwatch.StartNew();
        using var discovery = Registry.BeginDiscovery();
        var rng = new Random(4321);
        string? stoppedAt = null;
        try
        {
            using var cache = CreateCache(slots);
            foreach (var step in plan.Steps)
                RunStep(step, cache, rng);
        }
        catch (DiscoveryStoppedException stop)
        {
            // A key needs tuning: that needs real data, so the real run tunes it and compiles
            // whatever the dry run did not reach.
            stoppedAt = $"; stopped before tuning {stop.KernelId} [{stop.Key}], the rest compiles as the plan reaches it";
        }
        var listed = watch.Elapsed;
        var compiled = discovery.CompileAll(WarmupCompileConcurrency);
        progress?.Invoke(
            $"warmup compile: {compiled} kernels on up to {WarmupCompileConcurrency} threads: {watch.Elapsed.TotalMilliseconds:F0} ms " +
            $"(listing them {listed.TotalMilliseconds:F0} ms{stoppedAt})");
    }

    /// <summary>Runs one step of a plan (or one request of the same shape) with random tokens.</summary>
    internal void RunStep(WarmupStep step, Mamba2Cache cache, Random rng)
    {
        int[] RandomTokens(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(Config.VocabSize)).ToArray();
        var prompts = step.Lengths.Select(RandomTokens).ToArray();
        switch (step.Kind)
        {
            case WarmupStepKind.Prefill:
                Prefill(prompts, cache);
                break;
            case WarmupStepKind.PrefillContinue:
                Prefill(prompts, cache, continueFromCache: true);
                break;
            case WarmupStepKind.Decode:
                Decode(prompts.Select(p => p[0]).ToArray(), cache, Enumerable.Range(0, prompts.Length).ToArray());
                break;
            case WarmupStepKind.Generate:
                Generate(prompts, maxNewTokens: 2);
                break;
        }
    }
}
