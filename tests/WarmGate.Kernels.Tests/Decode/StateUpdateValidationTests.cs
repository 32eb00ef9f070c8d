using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tests.Decode;

/// <summary>Bad input to the state update throws an ArgumentException naming the argument, before anything compiles.</summary>
public sealed class StateUpdateValidationTests(DecodeDevice device) : IClassFixture<DecodeDevice>, IDisposable
{
    private static readonly StateUpdateShape Shape = new(heads: 4, headDim: 2, groups: 2, stateDim: 4);
    private const int Batch = 2, Cache = 3;
    private readonly KernelRegistry registry = new(device.Device.Accelerator, "state-validation-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => registry.Dispose();

    private static StateUpdateArrays<float, float> Valid() => new()
    {
        State = new float[Cache * Shape.SlotSize],
        X = new float[Batch * Shape.Channels],
        Dt = new float[Batch * Shape.Heads],
        A = new float[Shape.Heads],
        B = new float[Batch * Shape.GroupWidth],
        C = new float[Batch * Shape.GroupWidth],
        Y = new float[Batch * Shape.Channels],
        D = new float[Shape.Heads],
        DtBias = new float[Shape.Heads],
    };

    public static TheoryData<string, string> Cases() => new()
    {
        { "x too short", "arrays.X" },
        { "x stride below its width", "arrays.X" },
        { "dt too short", "arrays.Dt" },
        { "A not one per head", "arrays.A" },
        { "B too short for its stride", "arrays.B" },
        { "C too short", "arrays.C" },
        { "y too short", "arrays.Y" },
        { "state not whole slots", "arrays.State" },
        { "D missing", "arrays.D" },
        { "D given with DSkip.None", "arrays.D" },
        { "D per channel of length H", "arrays.D" },
        { "z missing", "arrays.Z" },
        { "z given with Z off", "arrays.Z" },
        { "dt bias missing", "arrays.DtBias" },
        { "dt bias given with DtBias off", "arrays.DtBias" },
        { "slot index at the cache size", "slots" },
        { "two rows on one slot", "slots" },
        { "fp16 options with fp32 arrays", "options" },
        { "group larger than the device allows", "config" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_throws_naming_the_argument_and_compiles_nothing(string what, string param)
    {
        var arrays = Valid();
        var options = new StateUpdateOptions();
        int[] slots = [2, 0];
        StateUpdateConfig? config = null;
        switch (what)
        {
            case "x too short": arrays = arrays with { X = new float[Batch * Shape.Channels - 1] }; break;
            case "x stride below its width": arrays = arrays with { XStride = Shape.Channels - 1 }; break;
            case "dt too short": arrays = arrays with { Dt = new float[Shape.Heads] }; break;
            case "A not one per head": arrays = arrays with { A = new float[Shape.Heads + 1] }; break;
            case "B too short for its stride": arrays = arrays with { BStride = Shape.GroupWidth + 4 }; break;
            case "C too short": arrays = arrays with { C = new float[3] }; break;
            case "y too short": arrays = arrays with { Y = new float[Shape.Channels] }; break;
            case "state not whole slots": arrays = arrays with { State = new float[Cache * Shape.SlotSize + 1] }; break;
            case "D missing": arrays = arrays with { D = null }; break;
            case "D given with DSkip.None": options = options with { D = DSkip.None }; break;
            case "D per channel of length H": options = options with { D = DSkip.PerChannel }; break;
            case "z missing": options = options with { Z = true }; break;
            case "z given with Z off": arrays = arrays with { Z = new float[Batch * Shape.Channels] }; break;
            case "dt bias missing": arrays = arrays with { DtBias = null }; break;
            case "dt bias given with DtBias off": options = options with { DtBias = false }; break;
            case "slot index at the cache size": slots = [Cache, 0]; break;
            case "two rows on one slot": slots = [1, 1]; break;
            case "fp16 options with fp32 arrays": options = options with { Input = Dtype.F16 }; break;
            case "group larger than the device allows": config = new StateUpdateConfig(128, 4); break;
            default: throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }

        var act = () => new SelectiveStateUpdate(registry).Run(Shape, options, arrays, slots, config);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == param)
            .WithMessage("*expected*given*");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void The_valid_baseline_runs()
    {
        // The cases above each break one thing of this baseline.
        new SelectiveStateUpdate(registry).Run(Shape, new StateUpdateOptions(), Valid(), [2, 0]);
        registry.Compilations.Should().Be(1);
    }

    [Fact]
    public void Heads_not_divisible_by_groups_are_rejected_with_both_values()
    {
        var act = () => new StateUpdateShape(heads: 6, headDim: 4, groups: 4, stateDim: 8);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "groups").WithMessage("*H % G == 0*H=6, G=4*");
    }

    [Fact]
    public void Device_slots_addressing_a_larger_cache_than_the_state_are_rejected()
    {
        var accelerator = device.Device.Accelerator;
        using var state = accelerator.Allocate1D<float>(Cache * Shape.SlotSize);
        using var x = accelerator.Allocate1D<float>(Batch * Shape.Channels);
        using var dt = accelerator.Allocate1D<float>(Batch * Shape.Heads);
        using var heads = accelerator.Allocate1D<float>(Shape.Heads);
        using var b = accelerator.Allocate1D<float>(Batch * Shape.GroupWidth);
        using var y = accelerator.Allocate1D<float>(Batch * Shape.Channels);
        using var slots = new CacheSlots(accelerator, [Cache, 0], capacity: Cache + 1);
        var views = new StateUpdateViews<float, float>
        {
            State = state.View, X = x.View, Dt = dt.View, A = heads.View, B = b.View, C = b.View, Y = y.View,
            D = heads.View, DtBias = heads.View,
        };

        var act = () => new SelectiveStateUpdate(registry).Run(Shape, new StateUpdateOptions(), views, slots);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "slots").WithMessage("*expected*<= 3*given*4*");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void Cache_slots_check_range_and_duplicates_before_uploading()
    {
        var accelerator = device.Device.Accelerator;
        var outOfRange = () => new CacheSlots(accelerator, [0, 4], capacity: 4);
        var duplicate = () => new CacheSlots(accelerator, [3, -1, 3], capacity: 4);
        outOfRange.Should().Throw<ArgumentException>().Where(e => e.ParamName == "slots").WithMessage("*[0, 4)*given 4*");
        duplicate.Should().Throw<ArgumentException>().Where(e => e.ParamName == "slots").WithMessage("*Rows 0 and 2*slot 3*");
        using var padded = new CacheSlots(accelerator, [-1, 3, -1], capacity: 4);
        padded.Count.Should().Be(3);
    }
}
