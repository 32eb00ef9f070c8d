using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>Tells xunit that <see cref="WarmGateTestFrameworkAttribute"/> means <see cref="WarmGateTestFramework"/>.</summary>
public sealed class WarmGateTestFrameworkTypeDiscoverer : ITestFrameworkTypeDiscoverer
{
    /// <inheritdoc/>
    public Type GetTestFrameworkType(IAttributeInfo attribute) => typeof(WarmGateTestFramework);
}
