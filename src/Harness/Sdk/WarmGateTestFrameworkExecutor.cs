using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>Runs the test cases of one assembly with <see cref="WarmGateTestAssemblyRunner"/>.</summary>
public sealed class WarmGateTestFrameworkExecutor : XunitTestFrameworkExecutor
{
    /// <summary>Created by <see cref="WarmGateTestFramework"/>.</summary>
    /// <param name="assemblyName">The test assembly.</param>
    /// <param name="sourceInformationProvider">Source information for test cases.</param>
    /// <param name="diagnosticMessageSink">The diagnostic message sink.</param>
    public WarmGateTestFrameworkExecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : base(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
    }

    /// <inheritdoc/>
    protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
    {
        using var runner = new WarmGateTestAssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
        await runner.RunAsync();
    }
}
