using WarmGate.Harness;
using Xunit.Abstractions;

namespace WarmGate.Samples;

/// <summary>
/// The sample projects' fixture: a fake target whose warmup compiles factor 1 only.
/// HARNESS_SAMPLE_FAIL_LOAD=1 makes loading fail, to show how a start-up failure is reported.
/// </summary>
public sealed class SampleFixture(IMessageSink diagnosticMessageSink) : WarmGateFixture<FakeTarget>(diagnosticMessageSink)
{
    protected override FakeTarget CreateTarget() =>
        new([1], failLoad: Environment.GetEnvironmentVariable("HARNESS_SAMPLE_FAIL_LOAD") == "1");
}
