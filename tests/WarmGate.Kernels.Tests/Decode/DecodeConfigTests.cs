using WarmGate.Kernels.Decode;

namespace WarmGate.Kernels.Tests.Decode;

public sealed class DecodeConfigTests
{
    public static TheoryData<bool> Devices() => [false, true];

    [Theory]
    [MemberData(nameof(Devices))]
    public void Every_candidate_round_trips_through_its_text(bool cuda)
    {
        foreach (var c in StateUpdateConfig.Candidates(cuda))
            StateUpdateConfig.Parse(c.ToString()).Should().Be(c);
        foreach (var c in ConvPrefillConfig.Candidates(cuda))
            ConvPrefillConfig.Parse(c.ToString()).Should().Be(c);
        foreach (var c in ConvUpdateConfig.Candidates(cuda))
            ConvUpdateConfig.Parse(c.ToString()).Should().Be(c);
    }

    [Fact]
    public void Cpu_candidates_are_few_fit_64_threads_and_start_with_the_default()
    {
        StateUpdateConfig.Candidates(false).Should().HaveCountLessThanOrEqualTo(3).And.OnlyContain(c => c.GroupSize <= 64)
            .And.OnlyHaveUniqueItems().And.StartWith(StateUpdateConfig.Default(false));
        ConvPrefillConfig.Candidates(false).Should().HaveCountLessThanOrEqualTo(3).And.OnlyContain(c => c.GroupSize <= 64)
            .And.OnlyHaveUniqueItems().And.StartWith(ConvPrefillConfig.Default(false));
        ConvUpdateConfig.Candidates(false).Should().HaveCountLessThanOrEqualTo(3).And.OnlyContain(c => c.GroupSize <= 64)
            .And.OnlyHaveUniqueItems().And.StartWith(ConvUpdateConfig.Default(false));
    }

    [Fact]
    public void Cuda_has_more_candidates_than_the_cpu()
    {
        StateUpdateConfig.Candidates(true).Should().HaveCountGreaterThan(StateUpdateConfig.Candidates(false).Count).And.OnlyHaveUniqueItems();
        ConvPrefillConfig.Candidates(true).Should().HaveCountGreaterThan(ConvPrefillConfig.Candidates(false).Count).And.OnlyHaveUniqueItems();
        ConvUpdateConfig.Candidates(true).Should().HaveCountGreaterThan(ConvUpdateConfig.Candidates(false).Count).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Text_is_as_documented_and_parsing_ignores_case_and_spaces()
    {
        new StateUpdateConfig(64, 4).ToString().Should().Be("GS=64,TP=4");
        new ConvPrefillConfig(128, 2).ToString().Should().Be("GS=128,TT=2");
        new ConvUpdateConfig(32).ToString().Should().Be("GS=32");
        StateUpdateConfig.Parse(" tp=2 , gs=32 ").Should().Be(new StateUpdateConfig(32, 2));
        new StateUpdateConfig(64, 4).LanesPerRow.Should().Be(16);
    }

    [Fact]
    public void Optional_fields_are_written_only_when_set_and_read_back()
    {
        new StateUpdateConfig(128, 32, 8).ToString().Should().Be("GS=128,TP=32,VP=8");
        new StateUpdateConfig(128, 32, 4, 4).ToString().Should().Be("GS=128,TP=32,IT=4");
        new StateUpdateConfig(128, 32, 8, 4, true).ToString().Should().Be("GS=128,TP=32,VP=8,IT=4,CS=1");
        StateUpdateConfig.Parse("GS=128,TP=32,VP=4,IT=1,CS=0").Should().Be(new StateUpdateConfig(128, 32));
        StateUpdateConfig.Parse("cs=1, it=2, GS=64,TP=16").Should().Be(new StateUpdateConfig(64, 16, 4, 2, true));
    }

    [Theory]
    [InlineData("GS=64,TP=4,VP=3", "vectorsPerPass")]
    [InlineData("GS=64,TP=4,VP=16", "vectorsPerPass")]
    [InlineData("GS=64,TP=4,IT=128", "itemsPerGroup")]
    [InlineData("GS=64,TP=4,IT=0", "itemsPerGroup")]
    [InlineData("GS=64,TP=4,CS=2", "streamingHints")]
    public void Out_of_range_optional_values_are_argument_errors(string text, string param)
    {
        var act = () => StateUpdateConfig.Parse(text);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == param);
    }

    [Fact]
    public void A_repeated_optional_field_is_a_format_error()
    {
        var act = () => StateUpdateConfig.Parse("GS=64,TP=4,VP=8,VP=4");
        act.Should().Throw<FormatException>().WithMessage("*expected GS=<int>,TP=<int>,VP=<int>*");
    }

    [Theory]
    [InlineData("GS=64")]
    [InlineData("GS=64,TP=4,TT=1")]
    [InlineData("GS=64,GS=32,TP=4")]
    [InlineData("GS=sixty,TP=4")]
    [InlineData("")]
    public void Malformed_text_is_a_format_error_that_shows_the_expected_form(string text)
    {
        var act = () => StateUpdateConfig.Parse(text);
        act.Should().Throw<FormatException>().WithMessage("*expected GS=<int>,TP=<int>*");
    }

    [Theory]
    [InlineData("GS=48,TP=4", "groupSize")]
    [InlineData("GS=512,TP=4", "groupSize")]
    [InlineData("GS=64,TP=128", "rowsPerGroup")]
    [InlineData("GS=64,TP=0", "rowsPerGroup")]
    public void Out_of_range_values_are_argument_errors(string text, string param)
    {
        var act = () => StateUpdateConfig.Parse(text);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == param);
    }
}
