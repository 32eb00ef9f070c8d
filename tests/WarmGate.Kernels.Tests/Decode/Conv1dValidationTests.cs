using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>Bad input to the conv1d throws an ArgumentException naming the argument, before anything compiles.</summary>
public sealed class Conv1dValidationTests(DecodeDevice device) : IClassFixture<DecodeDevice>, IDisposable
{
    private static readonly Conv1dShape Shape = new(channels: 6, width: 4);
    private const int Tokens = 7, Cache = 3;
    private readonly KernelRegistry registry = new(device.Device.Accelerator, "conv-validation-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => registry.Dispose();

    private static Conv1dArrays<float> Valid(int rows) => new()
    {
        Input = new float[rows * Shape.Channels],
        Output = new float[rows * Shape.Channels],
        Weight = new float[Shape.Channels * Shape.Width],
        Bias = new float[Shape.Channels],
        State = new float[Cache * Shape.SlotSize],
    };

    public static TheoryData<string, string> PrefillCases() => new()
    {
        { "input too short", "arrays.Input" },
        { "output stride below its width", "arrays.Output" },
        { "weight not C x K", "arrays.Weight" },
        { "bias missing", "arrays.Bias" },
        { "bias given with Bias off", "arrays.Bias" },
        { "state not whole slots", "arrays.State" },
        { "an empty sequence", "cuSeqlens" },
        { "offsets not starting at 0", "cuSeqlens" },
        { "a slot count unlike the sequence count", "slots" },
        { "slot index at the cache size", "slots" },
        { "two sequences on one slot", "slots" },
        { "fp16 options with fp32 arrays", "options" },
        { "group larger than the device allows", "config" },
    };

    [Theory]
    [MemberData(nameof(PrefillCases))]
    public void Bad_prefill_input_throws_naming_the_argument_and_compiles_nothing(string what, string param)
    {
        var arrays = Valid(Tokens);
        var options = new Conv1dOptions();
        int[] cuSeqlens = [0, 2, 7];
        int[] slots = [1, 2];
        ConvPrefillConfig? config = null;
        switch (what)
        {
            case "input too short": arrays = arrays with { Input = new float[Tokens * Shape.Channels - 1] }; break;
            case "output stride below its width": arrays = arrays with { OutputStride = Shape.Channels - 2 }; break;
            case "weight not C x K": arrays = arrays with { Weight = new float[Shape.Channels * 3] }; break;
            case "bias missing": arrays = arrays with { Bias = null }; break;
            case "bias given with Bias off": options = options with { Bias = false }; break;
            case "state not whole slots": arrays = arrays with { State = new float[Shape.SlotSize + 5] }; break;
            case "an empty sequence": cuSeqlens = [0, 2, 2, 7]; slots = [0, 1, 2]; break;
            case "offsets not starting at 0": cuSeqlens = [1, 2, 7]; break;
            case "a slot count unlike the sequence count": slots = [0, 1, 2]; break;
            case "slot index at the cache size": slots = [Cache, 0]; break;
            case "two sequences on one slot": slots = [2, 2]; break;
            case "fp16 options with fp32 arrays": options = options with { Input = Dtype.F16 }; break;
            case "group larger than the device allows": config = new ConvPrefillConfig(256, 1); break;
            default: throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }

        var act = () => new CausalConv1d(registry).Prefill(Shape, options, true, arrays, cuSeqlens, slots, config);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == param).WithMessage("*expected*given*");
        registry.Compilations.Should().Be(0);
    }

    public static TheoryData<string, string> UpdateCases() => new()
    {
        { "input too short for the batch", "arrays.Input" },
        { "output too short", "arrays.Output" },
        { "slot index at the cache size", "slots" },
        { "a state given with K = 1", "arrays.State" },
        { "group larger than the device allows", "config" },
    };

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void Bad_update_input_throws_naming_the_argument_and_compiles_nothing(string what, string param)
    {
        var shape = Shape;
        var arrays = Valid(2);
        int[] slots = [0, 2];
        ConvUpdateConfig? config = null;
        switch (what)
        {
            case "input too short for the batch": slots = [0, 2, -1]; arrays = arrays with { Output = new float[3 * Shape.Channels] }; break;
            case "output too short": arrays = arrays with { Output = new float[Shape.Channels] }; break;
            case "slot index at the cache size": slots = [0, Cache]; break;
            case "a state given with K = 1":
                shape = new Conv1dShape(Shape.Channels, 1);
                arrays = arrays with { Weight = new float[Shape.Channels] };
                break;
            case "group larger than the device allows": config = new ConvUpdateConfig(128); break;
            default: throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }

        var act = () => new CausalConv1d(registry).Update(shape, new Conv1dOptions(), arrays, slots, config);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == param).WithMessage("*expected*given*");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void The_valid_baselines_run()
    {
        var op = new CausalConv1d(registry);
        op.Prefill(Shape, new Conv1dOptions(), true, Valid(Tokens), [0, 2, 7], [1, 2]);
        op.Update(Shape, new Conv1dOptions(), Valid(2), [0, 2]);
        registry.Compilations.Should().Be(2);
    }

    [Fact]
    public void A_kernel_width_below_one_is_rejected()
    {
        var act = () => new Conv1dShape(channels: 8, width: 0);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "width").WithMessage("*expected >= 1, given 0*");
    }
}
