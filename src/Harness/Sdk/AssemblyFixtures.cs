using System.Globalization;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// The fixtures named by <see cref="WarmGateAssemblyFixtureAttribute"/>: created and initialized
/// before the first test collection runs, given to test classes like collection fixtures, and
/// disposed after the last collection. A fixture that cannot be created or initialized is kept
/// as a failure that fails every test class that takes it, with the real cause.
/// </summary>
public sealed class AssemblyFixtures
{
    private readonly Dictionary<Type, object> instances = [];
    private readonly Dictionary<Type, Exception> failures = [];

    /// <summary>The created fixtures by type.</summary>
    public IReadOnlyDictionary<Type, object> Instances => instances;

    /// <summary>The fixtures that could not be created or initialized, by type.</summary>
    public IReadOnlyDictionary<Type, Exception> Failures => failures;

    /// <summary>Creates and initializes the fixtures an assembly names with <see cref="WarmGateAssemblyFixtureAttribute"/>.</summary>
    /// <param name="assembly">The test assembly.</param>
    /// <param name="diagnosticMessageSink">Given to fixture constructors that take an <see cref="IMessageSink"/>.</param>
    public static Task<AssemblyFixtures> CreateAsync(Assembly assembly, IMessageSink diagnosticMessageSink)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return CreateAsync(assembly.GetCustomAttributes<WarmGateAssemblyFixtureAttribute>().Select(a => a.FixtureType), diagnosticMessageSink);
    }

    /// <summary>Creates the fixtures of the given types, then initializes them in parallel.</summary>
    /// <param name="fixtureTypes">The fixture types.</param>
    /// <param name="diagnosticMessageSink">Given to fixture constructors that take an <see cref="IMessageSink"/>.</param>
    public static async Task<AssemblyFixtures> CreateAsync(IEnumerable<Type> fixtureTypes, IMessageSink diagnosticMessageSink)
    {
        ArgumentNullException.ThrowIfNull(fixtureTypes);
        var fixtures = new AssemblyFixtures();
        foreach (var type in fixtureTypes.Distinct())
        {
            try
            {
                fixtures.instances[type] = Construct(type, diagnosticMessageSink);
            }
            catch (Exception ex)
            {
                var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
                fixtures.failures[type] = new WarmGateStartupException(
                    $"Assembly fixture {type.FullName} could not be created: {cause.Message}", cause);
            }
        }

        await Task.WhenAll(fixtures.instances.Select(async pair =>
        {
            if (pair.Value is not IAsyncLifetime lifetime) return;
            try
            {
                await lifetime.InitializeAsync();
            }
            catch (Exception ex)
            {
                lock (fixtures.failures)
                    fixtures.failures[pair.Key] = new WarmGateStartupException(
                        $"Assembly fixture {pair.Key.FullName} failed in InitializeAsync: {ex.Message}", ex);
            }
        }));
        return fixtures;
    }

    /// <summary>Disposes every created fixture; failures are added to <paramref name="aggregator"/>.</summary>
    /// <param name="aggregator">Collects exceptions thrown by Dispose/DisposeAsync.</param>
    public async Task DisposeAsync(ExceptionAggregator aggregator)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        await Task.WhenAll(instances.Values.OfType<IAsyncLifetime>().Select(f => aggregator.RunAsync(f.DisposeAsync)));
        foreach (var disposable in instances.Values.OfType<IDisposable>())
            aggregator.Run(disposable.Dispose);
    }

    private static object Construct(Type type, IMessageSink sink)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (type.IsAbstract || constructors.Length != 1)
            throw new WarmGateConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"Assembly fixture {type.FullName} must be a concrete class with exactly one public constructor; it has {constructors.Length}."));
        var parameters = constructors[0].GetParameters();
        var args = new object[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType != typeof(IMessageSink))
                throw new WarmGateConfigurationException(
                    $"Assembly fixture {type.FullName}: constructor parameter '{parameters[i].Name}' of type {parameters[i].ParameterType.Name} " +
                    "cannot be supplied; an assembly fixture constructor may only take an IMessageSink.");
            args[i] = sink;
        }
        return constructors[0].Invoke(args);
    }
}
