using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>The tensor-core flag of <see cref="SsdPrefillConfig"/>: string form, validation, candidates and pruning.</summary>
public sealed class SsdTcConfigTests
{
    private static readonly SsdPrefillConfig Tc = new SsdPrefillConfig(128, 32, 64, 128, 256, 64, 64, 128, 64) { TensorCores = true };

    [Fact]
    public void Tensor_core_flag_round_trips_through_the_string_form()
    {
        Tc.ToString().Should().Be("Q=128,CH=32,SP=64,SN=128,PB=256,BI=64,BJ=64,YT=128,YP=64,TC=1");
        SsdPrefillConfig.Parse(Tc.ToString()).Should().Be(Tc);
        SsdPrefillConfig.Parse(Tc.ToString().Replace("TC=1", "TC=0", StringComparison.Ordinal)).TensorCores.Should().BeFalse();
    }

    [Theory]
    [InlineData("Q=64,CH=32,SP=64,SN=128,PB=256,BI=16,BJ=16,YT=64,YP=64", "predates the tensor-core kernels")]
    [InlineData("Q=64,CH=32,SP=64,SN=128,PB=256,BI=16,BJ=16,YT=64,YP=64,TC=2", "0 (SIMT) or 1")]
    [InlineData("Q=64,CH=32,SP=64,SN=128,PB=256,BI=16,BJ=16,YT=64,YP=64,TC=1,TC=0", "twice")]
    public void Old_or_bad_tensor_core_strings_are_format_errors(string text, string message)
    {
        var act = () => SsdPrefillConfig.Parse(text);
        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
        SsdPrefillConfig.TryParse(text, out var config).Should().BeFalse();
        config.Should().BeNull();
    }

    [Theory]
    [InlineData("SP")]
    [InlineData("SN")]
    [InlineData("BI")]
    [InlineData("BJ")]
    [InlineData("YT")]
    [InlineData("YP")]
    public void Tensor_core_tiles_below_one_warp_tile_are_rejected(string tile)
    {
        var config = tile switch
        {
            "SP" => Tc with { StateTileP = 16 },
            "SN" => Tc with { StateTileN = 16 },
            "BI" => Tc with { BmmTileI = 16 },
            "BJ" => Tc with { BmmTileJ = 16 },
            "YT" => Tc with { ScanTileRows = 16 },
            _ => Tc with { ScanTileP = 16 },
        };
        var act = () => config.Validate(1024);
        act.Should().Throw<ArgumentException>().WithMessage($"*TC=1, {tile}=16 must be at least 32*");
        (config with { TensorCores = false, BmmTileI = 8, BmmTileJ = 8 }).Validate(1024);
    }

    [Fact]
    public void Group_sizes_count_warps()
    {
        // chunk_scan 128 × 64 = 8 warps; chunk_state 64 × 128 = 8 warps; bmm 64 × 64 = 4 warps.
        Tc.ChunkScanGroupSize.Should().Be(256);
        Tc.ChunkStateGroupSize.Should().Be(256);
        Tc.BmmGroupSize.Should().Be(128);
        Tc.MaxGroupSize.Should().Be(256);
        (Tc with { PassingBlock = 512 }).MaxGroupSize.Should().Be(512, "state_passing's block counts too");
        var wide = Tc with { ScanTileRows = 256, ScanTileP = 256 };
        wide.MaxGroupSize.Should().Be(2048, "a 256 × 256 scan tile is 64 warps on tensor cores (32 × 32 threads on the SIMT path)");
        wide.Fits(1024).Should().BeFalse();
    }

    [Fact]
    public void The_tuner_prunes_tensor_cores_off_cuda_only()
    {
        Tc.WhyNotRun(cuda: true, 1024).Should().BeNull();
        Tc.WhyNotRun(cuda: false, 1024).Should().Contain("CUDA");
        Tc.WhyNotRun(cuda: true, 128).Should().Contain("threads");
        (Tc with { TensorCores = false, BmmTileI = 8, BmmTileJ = 8 }).WhyNotRun(cuda: false, 1024).Should().BeNull();

        var shape = new SsdShape(4, 64, 1, 128);
        var f32 = SsdPrefillTunable.For(shape, new SsdOptions(), cuda: true, 1024, _ => { });
        var f16 = SsdPrefillTunable.For(shape, new SsdOptions { InputDtype = Dtype.F16 }, cuda: true, 1024, _ => { });
        var tcCandidates = f16.Candidates.Where(c => SsdPrefillConfig.Parse(c).TensorCores).ToList();
        tcCandidates.Should().NotBeEmpty();
        tcCandidates.All(c => f16.CanRun(c, out var _)).Should().BeTrue("fp16 inputs on CUDA may use tensor cores");
        tcCandidates.All(c => f32.CanRun(c, out var _)).Should().BeTrue("fp32 inputs run TF32 products on CUDA");
        var cpu = SsdPrefillTunable.For(shape, new SsdOptions(), cuda: false, 1024, _ => { });
        tcCandidates.Any(c => cpu.CanRun(c, out var _)).Should().BeFalse("the CPU accelerator only emulates tensor cores");
    }

    [Fact]
    public void Cuda_candidates_include_tensor_core_configs_with_large_chunks_and_cpu_candidates_none()
    {
        var cuda = SsdPrefillConfig.Candidates(cuda: true);
        cuda.Where(c => c.TensorCores).Select(c => c.ChunkSize).Should().Contain([64, 128, 256]);
        cuda.Should().OnlyContain(c => c.Fits(1024));
        foreach (var config in cuda) config.Validate(1024);
        SsdPrefillConfig.Candidates(cuda: false).Should().OnlyContain(c => !c.TensorCores);
        SsdPrefillConfig.Default(cuda: true).TensorCores.Should().BeFalse();
    }
}
