using WarmGate.Harness.Sdk;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class GatePolicyTests
{
    [Fact]
    public void Without_any_setting_tests_and_the_run_are_in_error_mode()
    {
        var policy = new GatePolicy(assemblyMode: null, environmentValue: null);
        policy.Resolve(null, null).Should().Be(GateMode.Error);
        policy.RunMode.Should().Be(GateMode.Error);
        policy.ConfigurationError.Should().BeNull();
    }

    [Theory]
    [InlineData("warn", GateMode.Warn)]
    [InlineData(" OFF ", GateMode.Off)]
    [InlineData("Error", GateMode.Error)]
    public void The_environment_sets_the_default_in_any_case(string value, GateMode expected)
    {
        var policy = new GatePolicy(null, value);
        policy.Resolve(null, null).Should().Be(expected);
        policy.RunMode.Should().Be(expected);
    }

    [Fact]
    public void The_most_specific_attribute_wins_over_the_environment()
    {
        var policy = new GatePolicy(assemblyMode: GateMode.Warn, environmentValue: "off");
        policy.Resolve(methodMode: GateMode.Error, classMode: GateMode.Off).Should().Be(GateMode.Error);
        policy.Resolve(methodMode: null, classMode: GateMode.Off).Should().Be(GateMode.Off);
        policy.Resolve(null, null).Should().Be(GateMode.Warn);
        policy.RunMode.Should().Be(GateMode.Warn);
    }

    [Theory]
    [InlineData("errors")]
    [InlineData("1")]
    [InlineData("warn,off")]
    public void An_invalid_environment_value_is_a_clear_error_whatever_the_attributes_say(string value)
    {
        var policy = new GatePolicy(GateMode.Off, value);
        policy.ConfigurationError.Should().NotBeNull();
        var act = () => policy.Resolve(GateMode.Off, null);
        act.Should().Throw<WarmGateConfigurationException>()
            .WithMessage($"WARMGATE_GATE is '{value}'*Set it to error, warn or off*");
        policy.RunMode.Should().Be(GateMode.Error);
    }

    [Fact]
    public void Blank_environment_value_counts_as_unset()
    {
        new GatePolicy(null, "  ").ConfigurationError.Should().BeNull();
    }

    [Fact]
    public void Attributes_are_read_from_method_then_class_including_base_classes()
    {
        var policy = new GatePolicy(GateMode.Error, null);
        var derived = typeof(DerivedTests);
        policy.ForTest(derived.GetMethod(nameof(DerivedTests.Marked))!, derived).Should().Be(GateMode.Off);
        policy.ForTest(derived.GetMethod(nameof(DerivedTests.Unmarked))!, derived).Should().Be(GateMode.Warn);
        policy.ForTest(typeof(GatePolicyTests).GetMethod(nameof(Blank_environment_value_counts_as_unset))!, typeof(GatePolicyTests))
            .Should().Be(GateMode.Error);
    }

    [WarmGateMode(GateMode.Warn)]
    private class BaseTests
    {
    }

    private sealed class DerivedTests : BaseTests
    {
        [WarmGateMode(GateMode.Off)]
        public void Marked()
        {
        }

        public void Unmarked()
        {
        }
    }
}
