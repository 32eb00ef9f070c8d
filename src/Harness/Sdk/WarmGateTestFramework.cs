using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// The xunit v2 test framework of WarmGate: xunit's own discovery, with an executor whose
/// runners gate each test. Installed by <see cref="WarmGateTestFrameworkAttribute"/> or
/// <c>[assembly: Xunit.TestFramework("WarmGate.Harness.Sdk.WarmGateTestFramework", "WarmGate.Harness")]</c>.
/// </summary>
public sealed class WarmGateTestFramework : XunitTestFramework
{
    /// <summary>Created by xunit.</summary>
    /// <param name="messageSink">The diagnostic message sink.</param>
    public WarmGateTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
    }

    /// <inheritdoc/>
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new WarmGateTestFrameworkExecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);
}
