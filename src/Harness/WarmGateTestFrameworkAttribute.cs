using Xunit.Sdk;

namespace WarmGate.Harness;

/// <summary>
/// Installs the WarmGate test framework for this test assembly: put
/// <c>[assembly: WarmGate.Harness.WarmGateTestFramework]</c> in any file of the test project.
/// It runs every test inside its own kernel scope, fails a test in whose scope a kernel
/// compiled or tuned after load, creates the assembly fixtures named by
/// <see cref="WarmGateAssemblyFixtureAttribute"/> and writes the report after the run.
/// </summary>
/// <remarks>Equivalent to <c>[assembly: Xunit.TestFramework("WarmGate.Harness.Sdk.WarmGateTestFramework", "WarmGate.Harness")]</c>.</remarks>
[TestFrameworkDiscoverer("WarmGate.Harness.Sdk.WarmGateTestFrameworkTypeDiscoverer", "WarmGate.Harness")]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class WarmGateTestFrameworkAttribute : Attribute, ITestFrameworkAttribute
{
    /// <summary>
    /// The folder the report is written to; a relative path is relative to the test assembly's
    /// folder. The <c>WARMGATE_REPORT_DIR</c> environment variable overrides it. When neither
    /// is set, the report goes to <c>artifacts/TestResults/warmgate</c> (artifacts output layout)
    /// or <c>&lt;test project&gt;/TestResults/warmgate</c>.
    /// </summary>
    public string? ReportDirectory { get; set; }
}
