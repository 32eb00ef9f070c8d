using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Runs a test class; fails its tests with the real cause when the class takes an assembly
/// fixture that could not start, and runs its methods with <see cref="WarmGateTestMethodRunner"/>.
/// </summary>
public class WarmGateTestClassRunner : XunitTestClassRunner
{
    private readonly RunContext run;

    /// <summary>Created by <see cref="WarmGateTestCollectionRunner"/>.</summary>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="testClass">The test class.</param>
    /// <param name="class">Its type.</param>
    /// <param name="testCases">Its test cases.</param>
    /// <param name="diagnosticMessageSink">The diagnostic message sink.</param>
    /// <param name="messageBus">The message bus.</param>
    /// <param name="testCaseOrderer">The test case orderer.</param>
    /// <param name="aggregator">The exception aggregator.</param>
    /// <param name="cancellationTokenSource">Cancels the run.</param>
    /// <param name="collectionFixtureMappings">The collection's fixtures and the assembly fixtures.</param>
    public WarmGateTestClassRunner(
        RunContext run,
        ITestClass testClass,
        IReflectionTypeInfo @class,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        ITestCaseOrderer testCaseOrderer,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource,
        IDictionary<Type, object> collectionFixtureMappings)
        : base(testClass, @class, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellationTokenSource, collectionFixtureMappings)
    {
        this.run = run;
    }

    /// <inheritdoc/>
    protected override async Task AfterTestClassStartingAsync()
    {
        await base.AfterTestClassStartingAsync();
        if (run.Fixtures.Failures.Count == 0) return;
        var constructor = Class.Type.GetConstructors().FirstOrDefault();
        foreach (var parameter in constructor?.GetParameters() ?? [])
        {
            if (run.Fixtures.Failures.TryGetValue(parameter.ParameterType, out var failure))
                Aggregator.Add(failure);
        }
    }

    /// <inheritdoc/>
    protected override bool TryGetConstructorArgument(System.Reflection.ConstructorInfo constructor, int index, System.Reflection.ParameterInfo parameter, out object argumentValue)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (run.Fixtures.Failures.ContainsKey(parameter.ParameterType))
        {
            // The start-up failure is already in the aggregator: no test of this class runs, and
            // "no matching fixture data" would hide the real cause.
            argumentValue = null!;
            return true;
        }
        return base.TryGetConstructorArgument(constructor, index, parameter, out argumentValue);
    }

    /// <inheritdoc/>
    protected override Task<RunSummary> RunTestMethodAsync(ITestMethod testMethod, IReflectionMethodInfo method, IEnumerable<IXunitTestCase> testCases, object[] constructorArguments) =>
        new WarmGateTestMethodRunner(
            run, testMethod, Class, method, testCases, DiagnosticMessageSink, MessageBus,
            new ExceptionAggregator(Aggregator), CancellationTokenSource, constructorArguments).RunAsync();
}
