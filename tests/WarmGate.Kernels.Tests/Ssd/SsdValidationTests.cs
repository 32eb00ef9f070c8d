using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// Bad input throws an <see cref="ArgumentException"/> naming the argument and the expected size,
/// before anything is compiled, allocated or launched.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdValidationTests(SsdCpuFixture fixture)
{
    private const int Tokens = 6;
    private static readonly SsdShape Shape = new(4, 2, 2, 3);
    private static readonly SsdOptions Options = new()
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasZ = true, HasInitialStates = true,
    };

    [Theory]
    [InlineData("groups", "shape", "*divisible*")]
    [InlineData("cu-start", "CuSeqlens", "*start at 0*got cuSeqlens?0?=1*")]
    [InlineData("cu-zero-length", "CuSeqlens", "*strictly increase*length 0*")]
    [InlineData("cu-end", "CuSeqlens", "*end at the token count T=6*last entry is 5*")]
    [InlineData("x-short", "X", "*at least (T-1)*XStride + H*P = (6-1)*8 + 8 = 48*holds 47*")]
    [InlineData("x-stride", "XStride", "*at least the row width H*P=8*got 7*")]
    [InlineData("dt-short", "Dt", "*at least*= 24*holds 23*")]
    [InlineData("dt-stride", "DtStride", "*row width H=4*got 3*")]
    [InlineData("a-short", "A", "*at least H = 4*holds 3*")]
    [InlineData("b-stride", "BStride", "*row width G*N=6*got 5*")]
    [InlineData("c-short", "C", "*at least*= 36*holds 35*")]
    [InlineData("bias-missing", "DtBias", "*missing*HasDtBias*")]
    [InlineData("d-missing", "D", "*missing*DMode != None*")]
    [InlineData("d-per-channel-short", "D", "*H*P (DMode PerChannel) = 8*holds 4*")]
    [InlineData("d-unexpected", "D", "*was given*DMode != None*")]
    [InlineData("z-missing", "Z", "*missing*HasZ*")]
    [InlineData("z-stride", "ZStride", "*row width H*P=8*got 0*")]
    [InlineData("init-missing", "InitialStates", "*missing*HasInitialStates*")]
    [InlineData("init-unexpected", "InitialStates", "*was given (48 elements)*")]
    [InlineData("init-short", "InitialStates", "*nseq*H*P*N with nseq=2 = 48*holds 47*")]
    [InlineData("y-short", "Y", "*at least 48*holds 47*")]
    [InlineData("final-short", "FinalStates", "*at least 48*holds 24*")]
    [InlineData("dtype", "options", "*InputDtype is F16*views hold Single*")]
    [InlineData("limits", "options", "*DtMin <= DtMax*")]
    [InlineData("config-size", "config", "*Q=24 must be a power of two*")]
    [InlineData("config-group", "config", "*groups of 256 threads*at most 64*")]
    public void Bad_arguments_throw_before_anything_runs(string mutation, string paramName, string message)
    {
        var accelerator = fixture.Device.Accelerator;
        using var registry = new KernelRegistry(accelerator, "ssd-validation");
        using var prefill = new SsdPrefill(registry);
        using var operands = new Operands(accelerator);
        var (shape, options, config, args) = Mutate(mutation, operands);

        var act = () => prefill.Run(accelerator.DefaultStream, shape, options, config, args);

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be(paramName);
        registry.Compilations.Should().Be(0, "validation comes before any compilation");
        operands.Y.GetAsArray1D().Should().OnlyContain(v => v == 7f, "nothing was launched");
    }

    [Fact]
    public void Host_entry_point_validates_before_compiling()
    {
        using var registry = new KernelRegistry(fixture.Device.Accelerator, "ssd-validation-host");
        using var prefill = new SsdPrefill(registry);
        var inputs = SsdHostInputs.Random(Shape, Options, [2, 4], seed: 1);

        var shortX = () => prefill.Run(inputs with { X = inputs.X[..^1] }, Shape, Options, SsdPrefillConfig.Default(false));
        shortX.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("X");
        var noZ = () => prefill.Run(inputs with { Z = null }, Shape, Options, SsdPrefillConfig.Default(false));
        noZ.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Z");
        var tooBig = () => prefill.Run(inputs, Shape, Options, SsdPrefillConfig.Default(cuda: true));
        tooBig.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("config");
        registry.Compilations.Should().Be(0);
    }

    [Fact]
    public void The_valid_operands_of_these_tests_do_run()
    {
        var accelerator = fixture.Device.Accelerator;
        using var operands = new Operands(accelerator);
        var (shape, options, config, args) = Mutate("none", operands);
        fixture.Prefill.Run(accelerator.DefaultStream, shape, options, config, args);
        accelerator.Synchronize();
        operands.Y.GetAsArray1D().Should().NotContain(7f);
    }

    private static (SsdShape, SsdOptions, SsdPrefillConfig, SsdPrefillArgs<float, float>) Mutate(string mutation, Operands o)
    {
        var config = SsdPrefillConfig.Default(cuda: false);
        var args = o.Args();
        var shape = Shape;
        var options = Options;
        switch (mutation)
        {
            case "none": break;
            case "groups": shape = Shape with { Groups = 3 }; break;
            case "cu-start": args = Replace(args, cu: [1, 2, 6]); break;
            case "cu-zero-length": args = Replace(args, cu: [0, 2, 2, 6]); break;
            case "cu-end": args = Replace(args, cu: [0, 2, 5]); break;
            case "x-short": args = Replace(args, x: args.X.SubView(0, args.X.Length - 1)); break;
            case "x-stride": args = Replace(args, xStride: 7); break;
            case "dt-short": args = Replace(args, dt: args.Dt.SubView(0, args.Dt.Length - 1)); break;
            case "dt-stride": args = Replace(args, dtStride: 3); break;
            case "a-short": args = Replace(args, a: args.A.SubView(0, 3)); break;
            case "b-stride": args = Replace(args, bStride: 5); break;
            case "c-short": args = Replace(args, c: args.C.SubView(0, args.C.Length - 1)); break;
            case "bias-missing": args = Replace(args, dropBias: true); break;
            case "d-missing": args = Replace(args, dropD: true); break;
            case "d-per-channel-short": options = Options with { DMode = SsdDMode.PerChannel }; break;
            case "d-unexpected": options = Options with { DMode = SsdDMode.None }; break;
            case "z-missing": args = Replace(args, dropZ: true); break;
            case "z-stride": args = Replace(args, zStride: 0); break;
            case "init-missing": args = Replace(args, dropInit: true); break;
            case "init-unexpected": options = Options with { HasInitialStates = false }; break;
            case "init-short": args = Replace(args, init: args.InitialStates!.Value.SubView(0, 47)); break;
            case "y-short": args = Replace(args, y: args.Y.SubView(0, args.Y.Length - 1)); break;
            case "final-short": args = Replace(args, final: args.FinalStates.SubView(0, 24)); break;
            case "dtype": options = Options with { InputDtype = Dtype.F16 }; break;
            case "limits": options = Options with { DtMin = 1f, DtMax = 0.5f }; break;
            case "config-size": config = config with { ChunkSize = 24 }; break;
            case "config-group": config = config with { ScanTileRows = 128, ScanTileP = 128 }; break;
            default: throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "Unknown mutation.");
        }
        return (shape, options, config, args);
    }

    private static SsdPrefillArgs<float, float> Replace(
        SsdPrefillArgs<float, float> source,
        int[]? cu = null,
        ArrayView<float>? x = null,
        int? xStride = null,
        ArrayView<float>? dt = null,
        int? dtStride = null,
        ArrayView<float>? a = null,
        int? bStride = null,
        ArrayView<float>? c = null,
        bool dropBias = false,
        bool dropD = false,
        bool dropZ = false,
        int? zStride = null,
        bool dropInit = false,
        ArrayView<float>? init = null,
        ArrayView<float>? y = null,
        ArrayView<float>? final = null) => new()
        {
            Tokens = source.Tokens,
            CuSeqlens = cu ?? source.CuSeqlens,
            X = x ?? source.X,
            XStride = xStride ?? source.XStride,
            Dt = dt ?? source.Dt,
            DtStride = dtStride ?? source.DtStride,
            A = a ?? source.A,
            B = source.B,
            BStride = bStride ?? source.BStride,
            C = c ?? source.C,
            CStride = source.CStride,
            DtBias = dropBias ? null : source.DtBias,
            D = dropD ? null : source.D,
            Z = dropZ ? null : source.Z,
            ZStride = zStride ?? source.ZStride,
            InitialStates = dropInit ? null : init ?? source.InitialStates,
            Y = y ?? source.Y,
            FinalStates = final ?? source.FinalStates,
        };

    /// <summary>Valid device operands for T=6 tokens in two sequences (2 and 4), every option on.</summary>
    private sealed class Operands : IDisposable
    {
        private readonly List<MemoryBuffer> buffers = [];
        private readonly Accelerator accelerator;

        public Operands(Accelerator accelerator)
        {
            this.accelerator = accelerator;
            var inputs = SsdHostInputs.Random(Shape, Options, [2, 4], seed: 3);
            X = Upload(inputs.X);
            Dt = Upload(inputs.Dt);
            A = Upload(inputs.A);
            B = Upload(inputs.B);
            C = Upload(inputs.C);
            Bias = Upload(inputs.DtBias!);
            D = Upload(inputs.D!);
            Z = Upload(inputs.Z!);
            Init = Upload(inputs.InitialStates!);
            Y = accelerator.Allocate1D(Enumerable.Repeat(7f, Tokens * Shape.HeadWidth).ToArray());
            Final = accelerator.Allocate1D<float>(2 * Shape.StatePerSequence);
            buffers.Add(Y);
            buffers.Add(Final);
        }

        public MemoryBuffer1D<float, Stride1D.Dense> X { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Dt { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> A { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> B { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> C { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Bias { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> D { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Z { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Init { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Y { get; }

        public MemoryBuffer1D<float, Stride1D.Dense> Final { get; }

        public SsdPrefillArgs<float, float> Args() => new()
        {
            Tokens = Tokens,
            CuSeqlens = [0, 2, 6],
            X = X.View,
            XStride = Shape.HeadWidth,
            Dt = Dt.View,
            DtStride = Shape.Heads,
            A = A.View,
            B = B.View,
            BStride = Shape.GroupWidth,
            C = C.View,
            CStride = Shape.GroupWidth,
            DtBias = Bias.View,
            D = D.View,
            Z = Z.View,
            ZStride = Shape.HeadWidth,
            InitialStates = Init.View,
            Y = Y.View,
            FinalStates = Final.View,
        };

        public void Dispose()
        {
            foreach (var buffer in buffers)
                buffer.Dispose();
        }

        private MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] values)
        {
            var buffer = accelerator.Allocate1D(values);
            buffers.Add(buffer);
            return buffer;
        }
    }
}
