using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Runs the test cases of one method. xunit's own facts and theories run through
/// <see cref="WarmGateTestCaseRunner"/> and <see cref="WarmGateTheoryTestCaseRunner"/>, which gate
/// each test exactly; any other test case type (from another extension) runs as it wants inside
/// one scope per test case, with <see cref="GatedMessageBus"/> turning its results into failures
/// or warnings.
/// </summary>
public class WarmGateTestMethodRunner : XunitTestMethodRunner
{
    private readonly RunContext run;
    private readonly IMessageSink diagnosticMessageSink;
    private readonly object[] constructorArguments;

    /// <summary>Created by <see cref="WarmGateTestClassRunner"/>.</summary>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="testMethod">The test method.</param>
    /// <param name="class">Its class.</param>
    /// <param name="method">The method.</param>
    /// <param name="testCases">Its test cases.</param>
    /// <param name="diagnosticMessageSink">The diagnostic message sink.</param>
    /// <param name="messageBus">The message bus.</param>
    /// <param name="aggregator">The exception aggregator.</param>
    /// <param name="cancellationTokenSource">Cancels the run.</param>
    /// <param name="constructorArguments">The test class constructor's arguments.</param>
    public WarmGateTestMethodRunner(
        RunContext run,
        ITestMethod testMethod,
        IReflectionTypeInfo @class,
        IReflectionMethodInfo method,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource,
        object[] constructorArguments)
        : base(testMethod, @class, method, testCases, diagnosticMessageSink, messageBus, aggregator, cancellationTokenSource, constructorArguments)
    {
        this.run = run;
        this.diagnosticMessageSink = diagnosticMessageSink;
        this.constructorArguments = constructorArguments;
    }

    /// <inheritdoc/>
    protected override Task<RunSummary> RunTestCaseAsync(IXunitTestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var aggregator = new ExceptionAggregator(Aggregator);
        var type = testCase.GetType();
        if (type == typeof(XunitTheoryTestCase))
            return new WarmGateTheoryTestCaseRunner(
                run, testCase, testCase.DisplayName, testCase.SkipReason, constructorArguments,
                diagnosticMessageSink, MessageBus, aggregator, CancellationTokenSource).RunAsync();
        if (type == typeof(XunitTestCase) || type == typeof(XunitSkippedDataRowTestCase))
            return new WarmGateTestCaseRunner(
                run, testCase, testCase.DisplayName, testCase.SkipReason, constructorArguments,
                testCase.TestMethodArguments, MessageBus, aggregator, CancellationTokenSource).RunAsync();
        if (type == typeof(ExecutionErrorTestCase))
            return base.RunTestCaseAsync(testCase);
        return RunOtherTestCaseAsync(testCase, aggregator);
    }

    private async Task<RunSummary> RunOtherTestCaseAsync(IXunitTestCase testCase, ExceptionAggregator aggregator)
    {
        var testMethod = testCase.Method.ToRuntimeMethod();
        var testClass = testCase.TestMethod.TestClass.Class.ToRuntimeType();
        GateMode mode;
        try
        {
            mode = run.Policy.ForTest(testMethod, testClass);
        }
        catch (WarmGateConfigurationException ex)
        {
            aggregator.Add(ex);
            mode = GateMode.Error;
        }

        var bus = new GatedMessageBus(MessageBus, run, mode, StartupFailures.Find(constructorArguments));
        using var gate = run.Session.BeginTest(testCase.DisplayName, mode);
        bus.Gate = gate;
        var summary = await testCase.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, CancellationTokenSource);
        var leftovers = gate.End();
        if (leftovers.Count > 0)
            run.Session.AddUnreported(testCase.DisplayName, leftovers);
        summary.Failed += bus.TurnedIntoFailures;
        return summary;
    }
}
