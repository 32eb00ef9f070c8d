using WarmGate.Harness;
using WarmGate.Kernels.Reference;
using Xunit;

namespace HarnessClean;

public sealed class WarmTests(Mamba2Fixture model)
{
    [Fact]
    public void Greedy_generation_matches_the_float64_reference()
    {
        int[] prompt = [3, 1, 4, 1, 5];
        var generated = model.Runtime.Generate([prompt], maxNewTokens: 4);
        Assert.Equal(new Mamba2Reference(model.Runtime.Weights).Generate(prompt, 4), generated[0]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public async Task Prompts_of_any_length_reuse_the_warm_kernels(int length)
    {
        var prompt = Enumerable.Range(0, length).Select(i => (i * 7) % model.Runtime.Config.VocabSize).ToArray();
        const int next = 9;
        var decoded = await Task.Run(() =>
        {
            using var cache = model.Runtime.CreateCache(1);
            model.Runtime.Prefill([prompt], cache);
            return model.Runtime.Decode([next], cache, [0])[0];
        });
        // Decoding the next token from the cache gives what a prefill of the longer prompt gives.
        var expected = model.Runtime.PrefillAllLogits([.. prompt, next])[^1];
        Assert.Equal(expected.Length, decoded.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - decoded[i]) <= 1e-3f * (1 + Math.Abs(expected[i])), $"logit {i}: prefill {expected[i]}, decode {decoded[i]}");
    }
}

public sealed class TestsWithoutTheFixture
{
    [Fact]
    public void Plain_tests_run_under_the_gate_too() => Assert.Equal(4, 2 + 2);
}
