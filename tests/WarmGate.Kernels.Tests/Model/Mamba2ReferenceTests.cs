using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;

namespace WarmGate.Kernels.Tests.Model;

public class Mamba2ReferenceTests
{
    private static readonly Mamba2Weights Tiny = BuiltinModels.Load(BuiltinModels.Tiny);

    [Fact]
    public void The_tiny_model_gives_finite_logits_of_vocabulary_width()
    {
        var logits = new Mamba2Reference(Tiny).Forward([1, 2, 3], new Mamba2Reference(Tiny).NewState());
        logits.Should().HaveCount(3);
        logits.Should().OnlyContain(row => row.Length == Tiny.Config.VocabSize && row.All(double.IsFinite));
    }

    [Fact]
    public void The_built_in_weights_are_the_same_every_time()
    {
        var again = BuiltinModels.Load(BuiltinModels.Tiny);
        again.Tensors.Keys.Should().BeEquivalentTo(Tiny.Tensors.Keys);
        foreach (var (name, data) in Tiny.Tensors) again[name].Should().Equal(data, name);
    }

    [Fact]
    public void Feeding_in_two_parts_continues_the_state()
    {
        var model = new Mamba2Reference(Tiny);
        var whole = model.Forward([5, 6, 7, 8, 9], model.NewState());
        var state = model.NewState();
        model.Forward([5, 6], state);
        var rest = model.Forward([7, 8, 9], state);
        for (var t = 0; t < 3; t++) rest[t].Should().Equal(whole[t + 2]);
    }

    [Fact]
    public void The_state_matters_so_the_recurrence_is_not_trivially_memoryless()
    {
        var model = new Mamba2Reference(Tiny);
        var fresh = model.Forward([9], model.NewState())[0];
        var warm = model.Forward([1, 2, 3, 9], model.NewState())[3];
        fresh.Zip(warm, (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(1e-6);
    }

    [Fact]
    public void Generation_is_deterministic_and_continues_from_the_prompt()
    {
        var model = new Mamba2Reference(Tiny);
        var first = model.Generate([3, 1, 4], 6);
        first.Should().HaveCount(6).And.Equal(model.Generate([3, 1, 4], 6));
        var state = model.NewState();
        var logits = model.Forward([3, 1, 4], state);
        Mamba2Reference.ArgMax(logits[^1]).Should().Be(first[0]);
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_rejected()
    {
        var model = new Mamba2Reference(Tiny);
        var act = () => model.Forward([Tiny.Config.VocabSize], model.NewState());
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*vocabulary*");
    }

    [Fact]
    public void Missing_weights_are_reported_with_the_tensor_name()
    {
        var partial = Tiny.Tensors.Where(kv => kv.Key != Mamba2TensorNames.DtBias(1)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var act = () => new Mamba2Weights(Tiny.Config, partial, "test");
        act.Should().Throw<ModelFormatException>().WithMessage($"*{Mamba2TensorNames.DtBias(1)}*missing*");
    }
}
