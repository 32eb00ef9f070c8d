namespace WarmGate.MSBuildTasks.Tests;

public sealed class PretuneOptionsTests
{
    [Theory]
    [InlineData(null, nameof(PretuneDevice.Auto))]
    [InlineData("", nameof(PretuneDevice.Auto))]
    [InlineData(" Auto ", nameof(PretuneDevice.Auto))]
    [InlineData("cuda", nameof(PretuneDevice.Cuda))]
    [InlineData("CPU", nameof(PretuneDevice.Cpu))]
    public void TryParseDevice_AcceptsTheDocumentedValues(string? value, string expected)
    {
        PretuneOptions.TryParseDevice(value, out var device).Should().BeTrue();
        device.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda0")]
    [InlineData("opencl")]
    public void TryParseDevice_RejectsOtherValues(string value) =>
        PretuneOptions.TryParseDevice(value, out _).Should().BeFalse();

    [Theory]
    [InlineData(null, nameof(NoGpuPolicy.Warn))]
    [InlineData("WARN", nameof(NoGpuPolicy.Warn))]
    [InlineData("error", nameof(NoGpuPolicy.Error))]
    [InlineData("cpu", nameof(NoGpuPolicy.Cpu))]
    public void TryParseNoGpuPolicy_AcceptsTheDocumentedValues(string? value, string expected)
    {
        PretuneOptions.TryParseNoGpuPolicy(value, out var policy).Should().BeTrue();
        policy.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("skip")]
    public void TryParseNoGpuPolicy_RejectsOtherValues(string value) =>
        PretuneOptions.TryParseNoGpuPolicy(value, out _).Should().BeFalse();

    [Theory]
    [InlineData(nameof(PretuneDevice.Auto), "cuda")]
    [InlineData(nameof(PretuneDevice.Cuda), "cuda")]
    [InlineData(nameof(PretuneDevice.Cpu), "cpu")]
    public void TunerArgument_AsksForCudaUnlessTheCpuWasChosen(string device, string argument) =>
        PretuneOptions.TunerArgument(Enum.Parse<PretuneDevice>(device)).Should().Be(argument);

    [Theory]
    [InlineData(null, nameof(PretuneTuning.Full), "full")]
    [InlineData(" FULL ", nameof(PretuneTuning.Full), "full")]
    [InlineData("quick", nameof(PretuneTuning.Quick), "quick")]
    public void TryParseTuning_AcceptsTheDocumentedValues_AndGivesTheTunerArgument(string? value, string expected, string argument)
    {
        PretuneOptions.TryParseTuning(value, out var tuning).Should().BeTrue();
        tuning.ToString().Should().Be(expected);
        PretuneOptions.TunerArgument(tuning).Should().Be(argument);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("none")]
    public void TryParseTuning_RejectsOtherValues(string value) =>
        PretuneOptions.TryParseTuning(value, out _).Should().BeFalse();
}
