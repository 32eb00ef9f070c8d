using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Model;

/// <summary>Runtimes shared by the tests that only compare numbers (compiling once saves most of the time).</summary>
public sealed class SharedRuntimes : IDisposable
{
    /// <summary>Measures only the first candidate: these tests are about numbers, not tuning.</summary>
    internal static readonly TunerOptions FirstCandidate = new(0, 1, TimeSpan.Zero);

    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly Dictionary<string, Mamba2Runtime> runtimes = [];

    public Mamba2Runtime For(string name, Mamba2Weights weights)
    {
        lock (runtimes)
        {
            if (!runtimes.TryGetValue(name, out var runtime))
                runtimes[name] = runtime = Mamba2Runtime.Create(device, weights, FirstCandidate);
            return runtime;
        }
    }

    public void Dispose()
    {
        foreach (var r in runtimes.Values) r.Dispose();
        device.Dispose();
    }
}

public sealed class Mamba2RuntimeTests(SharedRuntimes shared) : IClassFixture<SharedRuntimes>, IDisposable
{
    private readonly DeviceHandle device = DeviceSelector.Open(DeviceKind.Cpu);
    private readonly List<Mamba2Runtime> runtimes = [];

    public void Dispose()
    {
        foreach (var r in runtimes) r.Dispose();
        device.Dispose();
    }

    /// <summary>A second tiny shape: one group, no conv bias, in/out biases, tied embeddings, dt limits.</summary>
    private static readonly Mamba2Config OtherConfig = BuiltinModels.TinyConfig with
    {
        HiddenSize = 24, Expand = 2, HeadDim = 8, NumHeads = 6, NGroups = 1, StateSize = 12, ChunkSize = 8,
        ConvKernel = 3, NumHiddenLayers = 1, VocabSize = 40, UseBias = true, UseConvBias = false,
        TieWordEmbeddings = true, TimeStepLimitMin = 0.01, TimeStepLimitMax = 0.5,
    };

    /// <summary>A fresh runtime of its own (for tests about phases and events).</summary>
    private Mamba2Runtime Fresh(Mamba2Weights weights)
    {
        var runtime = Mamba2Runtime.Create(device, weights, SharedRuntimes.FirstCandidate);
        runtimes.Add(runtime);
        return runtime;
    }

    private Mamba2Runtime Runtime(Mamba2Weights weights) => shared.For(weights.Source, weights);

    private static Mamba2Weights Tiny => BuiltinModels.Load(BuiltinModels.Tiny);

    private static void ShouldMatch(float[] actual, double[] expected, string because)
    {
        var scale = expected.Max(Math.Abs);
        var worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        worst.Should().BeLessThan(2e-4 * Math.Max(1, scale), because);
    }

    public static TheoryData<string> Configs => new() { "tiny", "other" };

    private static Mamba2Weights WeightsFor(string name) =>
        name == "tiny" ? Tiny : Mamba2Weights.Seeded(OtherConfig, 7, "other");

    [Theory]
    [MemberData(nameof(Configs))]
    public void Prefill_logits_at_every_position_match_the_reference(string name)
    {
        var weights = WeightsFor(name);
        int[] prompt = [.. Enumerable.Range(0, 21).Select(i => (i * 7) % weights.Config.VocabSize)];
        var actual = Runtime(weights).PrefillAllLogits(prompt);
        var reference = new Mamba2Reference(weights);
        var expected = reference.Forward(prompt, reference.NewState());
        for (var t = 0; t < prompt.Length; t++) ShouldMatch(actual[t], expected[t], $"position {t}");
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_packed_varlen_batch_matches_each_prompt_alone(string name)
    {
        var weights = WeightsFor(name);
        int[][] prompts = [[3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], [9, 8]];
        var runtime = Runtime(weights);
        using var cache = runtime.CreateCache(3);
        var actual = runtime.Prefill(prompts, cache);
        var reference = new Mamba2Reference(weights);
        for (var s = 0; s < prompts.Length; s++)
            ShouldMatch(actual[s], reference.Forward(prompts[s], reference.NewState())[^1], $"prompt {s}");
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Prefill_then_decode_steps_equals_one_longer_prefill(string name)
    {
        var weights = WeightsFor(name);
        int[] whole = [5, 4, 3, 2, 1, 9, 8, 7, 6, 11, 12, 13];
        var runtime = Runtime(weights);
        using var cache = runtime.CreateCache(2);
        runtime.Prefill([whole[..9]], cache, firstSlot: 1);
        float[] last = [];
        for (var t = 9; t < whole.Length; t++)
            last = runtime.Decode([whole[t]], cache, [1])[0];
        var reference = new Mamba2Reference(weights);
        ShouldMatch(last, reference.Forward(whole, reference.NewState())[^1], "after decoding");
    }

    [Fact]
    public void A_prefill_continuing_from_the_cache_equals_one_prefill()
    {
        var runtime = Runtime(Tiny);
        using var cache = runtime.CreateCache(2);
        int[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
        int[] b = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40];
        runtime.Prefill([a[..7], b[..17]], cache);
        var continued = runtime.Prefill([a[7..], b[17..]], cache, continueFromCache: true);
        var reference = new Mamba2Reference(Tiny);
        ShouldMatch(continued[0], reference.Forward(a, reference.NewState())[^1], "sequence a");
        ShouldMatch(continued[1], reference.Forward(b, reference.NewState())[^1], "sequence b");
    }

    [Fact]
    public void Greedy_generation_matches_the_reference_and_is_deterministic()
    {
        var runtime = Runtime(Tiny);
        int[][] prompts = [[3, 1, 4, 1, 5], [9, 2]];
        var generated = runtime.Generate(prompts, 5);
        generated.Should().BeEquivalentTo(runtime.Generate(prompts, 5), o => o.WithStrictOrdering());
        var reference = new Mamba2Reference(Tiny);
        generated[0].Should().Equal(reference.Generate(prompts[0], 5));
        generated[1].Should().Equal(reference.Generate(prompts[1], 5));
    }

    [Fact]
    public void After_warmup_requests_of_any_shape_compile_and_tune_nothing()
    {
        var runtime = Fresh(Tiny);
        var report = runtime.Warmup();
        report.Compilations.Should().BeGreaterThan(0);
        report.TuningRuns.Should().Be(WarmupPlan.For(Tiny.Config, cuda: false).TunedKeys.Count);
        runtime.Phase.Should().Be(KernelPhase.Serving);

        var late = new List<KernelEvent>();
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name) lock (late) late.Add(e);
        });
        var rng = new Random(99);
        using var cache = runtime.CreateCache(4);
        for (var request = 0; request < 4; request++)
        {
            var batch = rng.Next(1, 4);
            var prompts = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, rng.Next(1, 40)).Select(_ => rng.Next(96)).ToArray()).ToArray();
            runtime.Prefill(prompts, cache);
            runtime.Decode(prompts.Select(p => p[0]).ToArray(), cache, Enumerable.Range(0, batch).ToArray());
            runtime.Prefill(prompts, cache, continueFromCache: true);
        }
        late.Should().BeEmpty("every key was warmed up: {0}", string.Join("; ", late));
    }

    [Fact]
    public void Without_warmup_the_first_request_tunes_and_compiles_while_serving()
    {
        var runtime = Fresh(Tiny);
        runtime.EnterPhase(KernelPhase.Serving);
        var late = new List<KernelEvent>();
        using var subscription = KernelEvents.Subscribe(e =>
        {
            if (e.Runtime == runtime.Registry.Name) lock (late) late.Add(e);
        });
        using var cache = runtime.CreateCache(1);
        runtime.Prefill([[1, 2, 3]], cache);
        late.Should().Contain(e => e.Kind == KernelEventKind.TuneStarted && e.Phase == KernelPhase.Serving && e.Kernel == KernelCatalog.SsdPrefill);
        late.Should().Contain(e => e.Kind == KernelEventKind.Compiled && e.Phase == KernelPhase.Serving);
        late.First(e => e.Kind == KernelEventKind.TuneStarted).CallSite.Should().Contain(nameof(Mamba2RuntimeTests));
    }

    [Fact]
    public void Bad_requests_are_rejected_before_any_launch()
    {
        var runtime = Fresh(Tiny);
        using var cache = runtime.CreateCache(2);
        var empty = () => runtime.Prefill([[1], []], cache);
        empty.Should().Throw<ArgumentException>().WithMessage("*Prompt 1 is empty*");
        var outside = () => runtime.Prefill([[1], [2]], cache, firstSlot: 1);
        outside.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*outside the cache*");
        var vocab = () => runtime.Prefill([[96]], cache);
        vocab.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*vocabulary*");
        var mismatch = () => runtime.Decode([1, 2], cache, [0]);
        mismatch.Should().Throw<ArgumentException>().WithMessage("*one slot per token*");
        runtime.Registry.Compilations.Should().Be(0);
    }
}
