using System.Diagnostics;
using WarmGate.Harness.Sdk;
using WarmGate.Kernels.Runtime;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness;

/// <summary>
/// Loads a target, runs its warmup and arms the gate: the target's registry goes
/// <see cref="KernelPhase.Loading"/> → <see cref="KernelPhase.WarmingUp"/> →
/// <see cref="KernelPhase.Serving"/>, after which any compile or tuning run fails the test it
/// happens in. Use it as an assembly fixture (<see cref="WarmGateAssemblyFixtureAttribute"/>,
/// one load for the whole run) or as a collection or class fixture. A start-up failure is kept
/// and rethrown in every test that takes the fixture, so each shows the real cause.
/// </summary>
/// <typeparam name="TTarget">The target type.</typeparam>
public abstract class WarmGateFixture<TTarget> : IWarmGateFixture, IAsyncLifetime
    where TTarget : class, IWarmGateTarget
{
    private readonly IMessageSink diagnostics;
    private TTarget? target;
    private (string Phase, Exception Cause)? startupFailure;

    /// <summary>Creates the fixture.</summary>
    /// <param name="diagnosticMessageSink">Where progress and failures are reported (shown with <c>diagnosticMessages: true</c>).</param>
    protected WarmGateFixture(IMessageSink diagnosticMessageSink)
    {
        ArgumentNullException.ThrowIfNull(diagnosticMessageSink);
        diagnostics = diagnosticMessageSink;
    }

    /// <summary>The loaded, warmed-up target.</summary>
    /// <exception cref="WarmGateStartupException">Loading or warmup failed; the inner exception is the cause.</exception>
    public TTarget Target
    {
        get
        {
            if (startupFailure is { } failure) throw StartupError(failure.Phase, failure.Cause);
            return target ?? throw new InvalidOperationException(
                $"{GetType().Name} has not been initialized: xunit calls InitializeAsync before the first test that uses it.");
        }
    }

    /// <inheritdoc/>
    public Exception? StartupFailure => startupFailure is { } failure ? StartupError(failure.Phase, failure.Cause) : null;

    /// <summary>How long <see cref="IWarmGateTarget.LoadAsync"/> took.</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <summary>How long <see cref="IWarmGateTarget.WarmupAsync"/> took.</summary>
    public TimeSpan WarmupTime { get; private set; }

    /// <summary>Creates the target; called once, by <see cref="InitializeAsync"/>.</summary>
    protected abstract TTarget CreateTarget();

    /// <summary>Loads, warms up and arms the gate. Never throws when the WarmGate test framework runs: a failure is kept instead.</summary>
    /// <exception cref="WarmGateConfigurationException">The WarmGate test framework is not installed in this test assembly.</exception>
    public async Task InitializeAsync()
    {
        var session = GateSession.Active ?? throw new WarmGateConfigurationException(
            $"{GetType().Name} needs the WarmGate test framework, or nothing would gate the tests: add " +
            "[assembly: WarmGate.Harness.WarmGateTestFramework] to the test project (see src/Harness/README.md).");
        var phase = "creating the target";
        try
        {
            target = CreateTarget();
            phase = $"loading '{target.Name}'";
            var watch = Stopwatch.StartNew();
            await target.LoadAsync();
            LoadTime = watch.Elapsed;
            var registry = target.Registry;
            phase = $"warming up '{target.Name}'";
            registry.EnterPhase(KernelPhase.WarmingUp);
            var compiledBefore = registry.Compilations;
            watch.Restart();
            await target.WarmupAsync();
            WarmupTime = watch.Elapsed;
            phase = $"arming the gate for '{target.Name}'";
            registry.EnterPhase(KernelPhase.Serving);
            session.AddTarget(target);
            Diagnostic(
                $"WarmGate: '{target.Name}' loaded in {LoadTime.TotalMilliseconds:F0} ms, warmed up in " +
                $"{WarmupTime.TotalMilliseconds:F0} ms ({registry.Compilations - compiledBefore} kernel compile(s)); " +
                $"runtime '{registry.Name}' is serving and the gate is armed.");
        }
        catch (Exception ex)
        {
            startupFailure = (phase, ex);
            Diagnostic($"WarmGate: {GetType().Name} failed while {phase}: {ex}");
        }
    }

    /// <summary>Disposes the target.</summary>
    public async Task DisposeAsync()
    {
        if (target is not null)
            await target.DisposeAsync();
    }

    private WarmGateStartupException StartupError(string phase, Exception cause) =>
        new($"{GetType().Name} failed while {phase}, so no test that uses it can run: {cause.GetType().Name}: {cause.Message}", cause);

    /// <summary>Sends a diagnostic message (shown with <c>diagnosticMessages: true</c>).</summary>
    /// <param name="message">The message.</param>
    protected void Diagnostic(string message) => diagnostics.OnMessage(new DiagnosticMessage(message));
}
