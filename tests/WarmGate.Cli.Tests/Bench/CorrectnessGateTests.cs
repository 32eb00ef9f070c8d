using WarmGate.Cli.Bench;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Cli.Tests.Bench;

public sealed class CorrectnessGateTests
{
    private static readonly double[] Reference = [2.0, -4.0, 1.0, 0.5];

    private static float[] Near(double relative) =>
        Reference.Select((v, i) => (float)(i == 1 ? v + (relative * 4.0) : v)).ToArray();

    private static TimingStats Timed() => TimingStats.Of([10.0, 12.0, 11.0]);

    [Fact]
    public void Tolerances_are_1e3_for_fp32_and_2e2_for_fp16()
    {
        CorrectnessGate.Tolerance(Dtype.F32).Should().Be(1e-3);
        CorrectnessGate.Tolerance(Dtype.F16).Should().Be(2e-2);
    }

    [Fact]
    public void The_error_is_relative_to_the_largest_reference_magnitude()
    {
        CorrectnessGate.MaxRelativeError(Near(1e-4), Reference).Should().BeApproximately(1e-4, 1e-7);
        CorrectnessGate.MaxRelativeError(new float[3], new double[3]).Should().Be(0);
    }

    [Fact]
    public void An_output_within_tolerance_passes()
    {
        var verdict = CorrectnessGate.Check(1e-3, ("y", Near(5e-4), Reference));
        verdict.Passed.Should().BeTrue();
        verdict.Reason.Should().BeEmpty();
    }

    [Fact]
    public void A_deliberately_wrong_output_is_refused_and_the_worst_tensor_named()
    {
        var verdict = CorrectnessGate.Check(1e-3, ("y", Near(1e-5), Reference), ("final_states", Near(0.1), Reference));
        verdict.Passed.Should().BeFalse();
        verdict.WorstTensor.Should().Be("final_states");
        verdict.MaxRelativeError.Should().BeApproximately(0.1, 1e-6);
        verdict.Reason.Should().Contain("final_states").And.Contain("0.1").And.Contain("0.001");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_output_is_refused_whatever_the_tolerance(float bad)
    {
        var output = Near(0);
        output[2] = bad;
        CorrectnessGate.Check(double.MaxValue, ("y", output, Reference)).Passed.Should().BeFalse();
    }

    [Fact]
    public void An_output_of_the_wrong_length_is_an_error()
    {
        var act = () => CorrectnessGate.MaxRelativeError(new float[3], Reference);
        act.Should().Throw<ArgumentException>().WithMessage("*3 elements*4*");
    }

    [Fact]
    public void A_refused_result_is_never_timed_and_its_line_has_no_timings()
    {
        var line = new BenchLine("ssd-prefill", "test");
        var timed = false;
        var stats = CorrectnessGate.TimeIfCorrect(line, CorrectnessGate.Check(1e-3, ("y", Near(0.5), Reference)), () =>
        {
            timed = true;
            return Timed();
        });
        stats.Should().BeNull();
        timed.Should().BeFalse();
        line["refused"].Should().Be(true);
        ((string)line["reason"]!).Should().Contain("y differs");
        line["median_us"].Should().BeNull();
        line.ToJson().Should().NotContain("median_us");
    }

    [Fact]
    public void A_correct_result_is_timed_with_its_fields_prefixed()
    {
        var line = new BenchLine("ssd-prefill", "test");
        var stats = CorrectnessGate.TimeIfCorrect(line, CorrectnessGate.Check(1e-3, ("y", Near(0), Reference)), Timed, "default_");
        stats!.MedianUs.Should().Be(11);
        line["default_median_us"].Should().Be(11.0);
        line["default_max_rel_err"].Should().Be(0.0);
        line["refused"].Should().BeNull();
    }
}
