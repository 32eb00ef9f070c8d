namespace WarmGate.Harness;

/// <summary>
/// Sets the gate mode for a test method, a test class or the whole test assembly. The most
/// specific setting wins: method, then class, then assembly, then the <c>WARMGATE_GATE</c>
/// environment variable, then <see cref="GateMode.Error"/>.
/// </summary>
/// <param name="mode">The mode for the tests this attribute covers.</param>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class WarmGateModeAttribute(GateMode mode) : Attribute
{
    /// <summary>The mode for the tests this attribute covers.</summary>
    public GateMode Mode { get; } = mode;
}
