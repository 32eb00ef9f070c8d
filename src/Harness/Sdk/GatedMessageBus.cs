using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// For test case types WarmGate cannot run itself (from other xunit extensions): passes their
/// messages on, turning a passed result into a failure when its scope compiled or tuned after
/// load (error mode) or a fixture it uses failed to start, or appending the message to its
/// output (warn mode).
/// </summary>
public sealed class GatedMessageBus : IMessageBus
{
    private readonly IMessageBus inner;
    private readonly RunContext run;
    private readonly GateMode mode;
    private readonly Exception? startupFailure;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The bus to pass messages to; not disposed by this one.</param>
    /// <param name="run">The run's session, policy and assembly fixtures.</param>
    /// <param name="mode">The test case's gate mode.</param>
    /// <param name="startupFailure">The start-up failure of a fixture the test class takes, or null.</param>
    public GatedMessageBus(IMessageBus inner, RunContext run, GateMode mode, Exception? startupFailure)
    {
        this.inner = inner;
        this.run = run;
        this.mode = mode;
        this.startupFailure = startupFailure;
    }

    /// <summary>The scope of the test case; set before it runs.</summary>
    public TestGate? Gate { get; set; }

    /// <summary>How many passed results this bus turned into failures.</summary>
    public int TurnedIntoFailures { get; private set; }

    /// <inheritdoc/>
    public bool QueueMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestPassed passed:
                return inner.QueueMessage(Judge(passed));
            case ITestResultMessage result:
                var late = Gate?.TakeViolations() ?? [];
                if (late.Count > 0)
                    run.Diagnostics.OnMessage(new DiagnosticMessage(GateMessages.ForTest(result.Test.DisplayName, late, mode)));
                return inner.QueueMessage(message);
            default:
                return inner.QueueMessage(message);
        }
    }

    /// <summary>Does nothing: the inner bus belongs to the caller.</summary>
    public void Dispose()
    {
    }

    private IMessageSinkMessage Judge(ITestPassed passed)
    {
        var violations = Gate?.TakeViolations() ?? [];
        if (startupFailure is not null)
        {
            TurnedIntoFailures++;
            return new TestFailed(passed.Test, passed.ExecutionTime, passed.Output, startupFailure);
        }
        if (violations.Count == 0) return passed;
        var text = GateMessages.ForTest(passed.Test.DisplayName, violations, mode);
        if (mode == GateMode.Error)
        {
            TurnedIntoFailures++;
            return new TestFailed(passed.Test, passed.ExecutionTime, passed.Output, new WarmGateViolationException(text, violations));
        }
        run.Diagnostics.OnMessage(new DiagnosticMessage(text));
        return new TestPassed(passed.Test, passed.ExecutionTime, (passed.Output ?? string.Empty) + text + Environment.NewLine);
    }
}
