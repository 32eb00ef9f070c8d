using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Runs a test assembly under the gate: starts a <see cref="GateSession"/> that hears every
/// kernel event, creates the assembly fixtures, runs the collections with
/// <see cref="WarmGateTestCollectionRunner"/>, and at the end reports compiles and tuning runs
/// after load that happened outside any test (an <see cref="IErrorMessage"/>, which fails
/// <c>dotnet test</c>) and writes the report.
/// </summary>
public class WarmGateTestAssemblyRunner : XunitTestAssemblyRunner
{
    private GateSession? session;
    private IDisposable? listening;
    private IDisposable? activation;
    private AssemblyFixtures? fixtures;
    private SemaphoreSlim? parallelSemaphore;
    private RunContext? context;

    /// <summary>Created by <see cref="WarmGateTestFrameworkExecutor"/>.</summary>
    /// <param name="testAssembly">The test assembly.</param>
    /// <param name="testCases">The test cases to run.</param>
    /// <param name="diagnosticMessageSink">The diagnostic message sink.</param>
    /// <param name="executionMessageSink">The execution message sink.</param>
    /// <param name="executionOptions">The execution options.</param>
    public WarmGateTestAssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : base(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
    }

    private Assembly RuntimeAssembly => ((IReflectionAssemblyInfo)TestAssembly.Assembly).Assembly;

    /// <inheritdoc/>
    protected override async Task AfterTestAssemblyStartingAsync()
    {
        await base.AfterTestAssemblyStartingAsync();
        parallelSemaphore = CreateParallelSemaphore();
        session = new GateSession();
        try
        {
            activation = session.Activate();
        }
        catch (InvalidOperationException ex)
        {
            // Only possible when a runner runs several assemblies in one process at once.
            ExecutionMessageSink.OnMessage(new ErrorMessage(TestCases, new WarmGateConfigurationException(
                $"WarmGate cannot gate {RuntimeAssembly.GetName().Name}: {ex.Message} Run test assemblies in separate processes (dotnet test does).", ex)));
            return;
        }
        listening = session.Listen();
        var policy = GatePolicy.For(RuntimeAssembly);
        if (policy.ConfigurationError is { } error)
            ExecutionMessageSink.OnMessage(new ErrorMessage(TestCases, error));
        fixtures = await AssemblyFixtures.CreateAsync(RuntimeAssembly, DiagnosticMessageSink);
        context = new RunContext(session, policy, fixtures, DiagnosticMessageSink);
    }

    /// <inheritdoc/>
    protected override async Task<RunSummary> RunTestCollectionAsync(
        IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellationTokenSource)
    {
        // Overriding this method bypasses xunit's own concurrency limit, so keep an equal one.
        if (parallelSemaphore is not null)
            await parallelSemaphore.WaitAsync(cancellationTokenSource.Token);
        try
        {
            if (context is null)
            {
                // The gate could not start (an error message says why): run the tests ungated.
                return await new XunitTestCollectionRunner(
                    testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer,
                    new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();
            }
            return await new WarmGateTestCollectionRunner(
                context, testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer,
                new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();
        }
        finally
        {
            parallelSemaphore?.Release();
        }
    }

    /// <inheritdoc/>
    protected override async Task BeforeTestAssemblyFinishedAsync()
    {
        if (fixtures is not null)
            await fixtures.DisposeAsync(Aggregator);
        if (context is not null)
            FinishSession(context.Session, context.Policy);
        activation?.Dispose();
        listening?.Dispose();
        await base.BeforeTestAssemblyFinishedAsync();
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        activation?.Dispose();
        listening?.Dispose();
        session?.Dispose();
        parallelSemaphore?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private void FinishSession(GateSession finished, GatePolicy runPolicy)
    {
        var assemblyName = RuntimeAssembly.GetName().Name ?? "tests";
        var runMode = runPolicy.RunMode;
        var outside = finished.Unattributed;
        if (outside.Count > 0 && runMode != GateMode.Off)
        {
            var message = GateMessages.ForRun(outside, runMode);
            if (runMode == GateMode.Error)
                ExecutionMessageSink.OnMessage(new ErrorMessage(
                    TestCases, [typeof(WarmGateViolationException).FullName!], [message], [string.Empty], [-1]));
            else
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage(message));
        }

        try
        {
            var report = GateReportBuilder.Build(finished, assemblyName, runMode);
            var attribute = RuntimeAssembly.GetCustomAttribute<WarmGateTestFrameworkAttribute>();
            var directory = ReportLocation.Resolve(
                Environment.GetEnvironmentVariable(ReportLocation.EnvironmentVariable),
                attribute?.ReportDirectory,
                RuntimeAssembly.Location);
            var paths = GateReportWriter.Write(report, directory);
            DiagnosticMessageSink.OnMessage(new DiagnosticMessage(
                $"WarmGate: report written to {string.Join(" and ", paths)} ({report.Verdict})."));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ExecutionMessageSink.OnMessage(new ErrorMessage(TestCases, new IOException(
                $"WarmGate could not write its report: {ex.Message} Set {ReportLocation.EnvironmentVariable} to a writable folder.", ex)));
        }
    }

    private SemaphoreSlim? CreateParallelSemaphore()
    {
        // The same rule as XunitTestAssemblyRunner: the conservative algorithm limits how many
        // collections start at once; the aggressive one relies on a synchronization context.
        var behavior = TestAssembly.Assembly.GetCustomAttributes(typeof(Xunit.CollectionBehaviorAttribute)).SingleOrDefault();
        var disabled = ExecutionOptions.DisableParallelization()
            ?? behavior?.GetNamedArgument<bool>(nameof(Xunit.CollectionBehaviorAttribute.DisableTestParallelization)) ?? false;
        var threads = ExecutionOptions.MaxParallelThreads()
            ?? behavior?.GetNamedArgument<int>(nameof(Xunit.CollectionBehaviorAttribute.MaxParallelThreads)) ?? 0;
        if (threads == 0) threads = Environment.ProcessorCount;
        if (disabled || threads < 1 || ExecutionOptions.ParallelAlgorithmOrDefault() == ParallelAlgorithm.Aggressive)
            return null;
        return new SemaphoreSlim(threads);
    }
}
