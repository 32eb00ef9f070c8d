namespace WarmGate.Harness;

/// <summary>
/// Names a fixture that the WarmGate test framework creates once for the whole test assembly,
/// before the first test, and disposes after the last. Test classes receive it through their
/// constructor, like a collection fixture, from every collection, so one model is loaded and
/// warmed up once and shared by collections that run in parallel. The fixture type needs one
/// public constructor taking nothing or an <see cref="Xunit.Abstractions.IMessageSink"/>;
/// <see cref="Xunit.IAsyncLifetime"/> and <see cref="IDisposable"/> are honoured.
/// </summary>
/// <param name="fixtureType">The fixture type, usually a subclass of <see cref="WarmGateFixture{TTarget}"/>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class WarmGateAssemblyFixtureAttribute(Type fixtureType) : Attribute
{
    /// <summary>The fixture type.</summary>
    public Type FixtureType { get; } = fixtureType;
}
