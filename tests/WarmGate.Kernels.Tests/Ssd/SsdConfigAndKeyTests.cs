using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

public sealed class SsdConfigAndKeyTests
{
    [Fact]
    public void Config_string_round_trips()
    {
        var config = new SsdPrefillConfig(64, 32, 16, 8, 256, 16, 32, 8, 64);
        config.ToString().Should().Be("Q=64,CH=32,SP=16,SN=8,PB=256,BI=16,BJ=32,YT=8,YP=64,TC=0");
        SsdPrefillConfig.Parse(config.ToString()).Should().Be(config);
        SsdPrefillConfig.Parse(" YP=64,YT=8,BJ=32,BI=16,PB=256,SN=8,SP=16,CH=32,TC=0,Q=64 ").Should().Be(config);
    }

    [Theory]
    [InlineData("Q=64", "lacks")]
    [InlineData("Q=64,CH=32,SP=16,SN=8,PB=256,BI=16,BJ=32,YT=8,YP=64,Q=32", "twice")]
    [InlineData("Q=x,CH=32,SP=16,SN=8,PB=256,BI=16,BJ=32,YT=8,YP=64", "not an integer")]
    [InlineData("Q=64,CH=32,SP=16,SN=8,PB=256,BI=16,BJ=32,YT=8,ZZ=64", "not one of")]
    public void Bad_config_strings_are_format_errors(string text, string message)
    {
        var act = () => SsdPrefillConfig.Parse(text);
        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
        SsdPrefillConfig.TryParse(text, out var config).Should().BeFalse();
        config.Should().BeNull();
    }

    [Fact]
    public void Candidates_are_valid_distinct_and_fit_their_device()
    {
        foreach (var cuda in new[] { false, true })
        {
            var candidates = SsdPrefillConfig.Candidates(cuda);
            candidates[0].Should().Be(SsdPrefillConfig.Default(cuda));
            candidates.Should().OnlyHaveUniqueItems();
            foreach (var config in candidates)
                config.Validate(cuda ? 1024 : 64);
        }
        SsdPrefillConfig.Candidates(false).Should().HaveCountLessThanOrEqualTo(4)
            .And.OnlyContain(c => c.ChunkSize == 16 || c.ChunkSize == 32);
        SsdPrefillConfig.Candidates(true).Count.Should().BeGreaterThan(SsdPrefillConfig.Candidates(false).Count);
    }

    [Theory]
    [InlineData(24, 4, "power of two")]
    [InlineData(512, 4, "power of two")]
    [InlineData(16, 128, "at most 64")]
    public void Invalid_configs_name_the_offending_size(int q, int cumsumHeads, string message)
    {
        var config = SsdPrefillConfig.Default(cuda: false) with { ChunkSize = q, CumsumHeads = cumsumHeads };
        var act = () => config.Validate(64);
        act.Should().Throw<ArgumentException>().WithMessage($"*{message}*").Which.ParamName.Should().Be("config");
    }

    [Fact]
    public void Key_holds_the_shape_and_every_code_path_flag()
    {
        var options = new SsdOptions
        {
            DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasZ = true,
        };
        SsdKey.Of(new SsdShape(8, 16, 2, 16), options)
            .Should().Be("H=8,P=16,G=2,N=16,in=f32,st=f32,D=head,z=1,init=0,sp=1,bias=1,lim=0");
        SsdKey.Of(
                new SsdShape(80, 64, 1, 128),
                new SsdOptions
                {
                    DMode = SsdDMode.PerChannel, HasInitialStates = true, InputDtype = Dtype.F16,
                    StateDtype = Dtype.F16, DtMax = 1f,
                })
            .Should().Be("H=80,P=64,G=1,N=128,in=f16,st=f16,D=chan,z=0,init=1,sp=0,bias=0,lim=1");
    }

    [Fact]
    public void Shape_rejects_heads_not_divisible_by_groups()
    {
        var act = () => new SsdShape(6, 4, 4, 8).Validate();
        act.Should().Throw<ArgumentException>().WithMessage("*H=6*divisible*G=4*").Which.ParamName.Should().Be("shape");
    }
}
