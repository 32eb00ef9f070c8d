using System.Reflection;
using WarmGate.Kernels.Runtime;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Runs one test inside its own kernel scope. The scope is entered on the async flow that
/// creates the test class and invokes the method, so everything the test awaits or starts
/// carries it. After the test, compiles and tuning runs after load in that scope fail the test
/// (an exception added to the test's own aggregator, so xunit reports it as the test's failure)
/// or, in warn mode, are appended to the test's output.
/// </summary>
public class WarmGateTestRunner : XunitTestRunner
{
    private readonly RunContext run;

    /// <summary>Created by <see cref="WarmGateTestCaseRunner"/> and <see cref="WarmGateTheoryTestCaseRunner"/>.</summary>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="test">The test.</param>
    /// <param name="messageBus">The message bus.</param>
    /// <param name="testClass">The test class.</param>
    /// <param name="constructorArguments">The test class constructor's arguments.</param>
    /// <param name="testMethod">The test method.</param>
    /// <param name="testMethodArguments">The test method's arguments.</param>
    /// <param name="skipReason">Why it is skipped, or null.</param>
    /// <param name="beforeAfterAttributes">The before/after attributes.</param>
    /// <param name="aggregator">The exception aggregator.</param>
    /// <param name="cancellationTokenSource">Cancels the run.</param>
    public WarmGateTestRunner(
        RunContext run,
        ITest test,
        IMessageBus messageBus,
        Type testClass,
        object[] constructorArguments,
        MethodInfo testMethod,
        object[] testMethodArguments,
        string skipReason,
        IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
        : base(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, skipReason, beforeAfterAttributes, aggregator, cancellationTokenSource)
    {
        this.run = run;
    }

    /// <inheritdoc/>
    protected override async Task<Tuple<decimal, string>> InvokeTestAsync(ExceptionAggregator aggregator)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        if (StartupFailures.Find(ConstructorArguments) is { } startupFailure)
        {
            aggregator.Add(startupFailure);
            return Tuple.Create(0m, string.Empty);
        }

        GateMode mode;
        try
        {
            mode = run.Policy.ForTest(TestMethod, TestClass);
        }
        catch (WarmGateConfigurationException ex)
        {
            aggregator.Add(ex);
            return Tuple.Create(0m, string.Empty);
        }

        var result = Tuple.Create(0m, string.Empty);
        var gate = run.Session.BeginTest(DisplayName, mode);
        try
        {
            result = await base.InvokeTestAsync(aggregator);
        }
        catch (Exception ex)
        {
            aggregator.Add(ex);
        }
        var violations = gate.End();
        return Judge(violations, mode, aggregator, result);
    }

    private Tuple<decimal, string> Judge(IReadOnlyList<KernelEvent> violations, GateMode mode, ExceptionAggregator aggregator, Tuple<decimal, string> result)
    {
        if (violations.Count == 0) return result;
        var message = GateMessages.ForTest(DisplayName, violations, mode);
        if (mode == GateMode.Error)
        {
            aggregator.Add(new WarmGateViolationException(message, violations));
            return result;
        }
        run.Diagnostics.OnMessage(new DiagnosticMessage(message));
        var output = string.IsNullOrEmpty(result.Item2) ? message + Environment.NewLine : result.Item2 + Environment.NewLine + message + Environment.NewLine;
        return Tuple.Create(result.Item1, output);
    }
}
