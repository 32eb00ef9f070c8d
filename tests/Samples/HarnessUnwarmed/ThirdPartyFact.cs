using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HarnessUnwarmed;

/// <summary>
/// Stands for a fact attribute from another xunit extension (like SkippableFact): its own test
/// case type, which WarmGate cannot run itself, so the gate works through the message bus.
/// </summary>
[XunitTestCaseDiscoverer("HarnessUnwarmed.ThirdPartyFactDiscoverer", "HarnessUnwarmed")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThirdPartyFactAttribute : FactAttribute;

public sealed class ThirdPartyFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new ThirdPartyTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

public sealed class ThirdPartyTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ThirdPartyTestCase()
    {
    }

    public ThirdPartyTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    public override Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource) =>
        base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
}
