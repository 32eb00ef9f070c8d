using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>Runs a fact (or a pre-enumerated theory row) with a <see cref="WarmGateTestRunner"/>.</summary>
public class WarmGateTestCaseRunner : XunitTestCaseRunner
{
    private readonly RunContext run;

    /// <summary>Created by <see cref="WarmGateTestMethodRunner"/>.</summary>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="testCase">The test case.</param>
    /// <param name="displayName">Its display name.</param>
    /// <param name="skipReason">Why it is skipped, or null.</param>
    /// <param name="constructorArguments">The test class constructor's arguments.</param>
    /// <param name="testMethodArguments">The test method's arguments.</param>
    /// <param name="messageBus">The message bus.</param>
    /// <param name="aggregator">The exception aggregator.</param>
    /// <param name="cancellationTokenSource">Cancels the run.</param>
    public WarmGateTestCaseRunner(
        RunContext run,
        IXunitTestCase testCase,
        string displayName,
        string skipReason,
        object[] constructorArguments,
        object[] testMethodArguments,
        IMessageBus messageBus,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
        : base(testCase, displayName, skipReason, constructorArguments, testMethodArguments, messageBus, aggregator, cancellationTokenSource)
    {
        this.run = run;
    }

    /// <inheritdoc/>
    protected override XunitTestRunner CreateTestRunner(
        ITest test,
        IMessageBus messageBus,
        Type testClass,
        object[] constructorArguments,
        MethodInfo testMethod,
        object[] testMethodArguments,
        string skipReason,
        IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource) =>
        new WarmGateTestRunner(
            run, test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments,
            skipReason, beforeAfterAttributes, new ExceptionAggregator(aggregator), cancellationTokenSource);
}
