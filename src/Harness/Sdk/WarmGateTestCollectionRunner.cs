using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>Runs a test collection; its classes get the assembly fixtures as well as the collection's fixtures.</summary>
public class WarmGateTestCollectionRunner : XunitTestCollectionRunner
{
    private readonly RunContext run;

    /// <summary>Created by <see cref="WarmGateTestAssemblyRunner"/>.</summary>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="testCollection">The collection.</param>
    /// <param name="testCases">Its test cases.</param>
    /// <param name="diagnosticMessageSink">The diagnostic message sink.</param>
    /// <param name="messageBus">The message bus.</param>
    /// <param name="testCaseOrderer">The test case orderer.</param>
    /// <param name="aggregator">The exception aggregator.</param>
    /// <param name="cancellationTokenSource">Cancels the run.</param>
    public WarmGateTestCollectionRunner(
        RunContext run,
        ITestCollection testCollection,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        ITestCaseOrderer testCaseOrderer,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
        : base(testCollection, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellationTokenSource)
    {
        this.run = run;
    }

    /// <inheritdoc/>
    protected override Task<RunSummary> RunTestClassAsync(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases)
    {
        // The collection's own fixtures win over assembly fixtures of the same type. Merged into a
        // new dictionary so that the collection never disposes an assembly fixture.
        var fixtures = new Dictionary<Type, object>(run.Fixtures.Instances);
        foreach (var pair in CollectionFixtureMappings)
            fixtures[pair.Key] = pair.Value;
        return new WarmGateTestClassRunner(
            run, testClass, @class, testCases, DiagnosticMessageSink, MessageBus, TestCaseOrderer,
            new ExceptionAggregator(Aggregator), CancellationTokenSource, fixtures).RunAsync();
    }
}
