using System.Reflection;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Decides the gate mode of each test and of the run. The most specific setting wins: a
/// <see cref="WarmGateModeAttribute"/> on the test method, then on its class (or a base class),
/// then on the assembly, then the <c>WARMGATE_GATE</c> environment variable (error, warn or
/// off, any case), then <see cref="GateMode.Error"/>. An invalid <c>WARMGATE_GATE</c> value is
/// an error whatever the attributes say: every test fails with it.
/// </summary>
public sealed class GatePolicy
{
    /// <summary>The environment variable that sets the default mode of a run.</summary>
    public const string EnvironmentVariable = "WARMGATE_GATE";

    private readonly GateMode? assemblyMode;
    private readonly GateMode? environmentMode;

    /// <summary>Creates a policy from an assembly-level mode and the raw environment value.</summary>
    /// <param name="assemblyMode">The assembly's <see cref="WarmGateModeAttribute"/> mode, if any.</param>
    /// <param name="environmentValue">The value of <c>WARMGATE_GATE</c>, or null when unset.</param>
    public GatePolicy(GateMode? assemblyMode, string? environmentValue)
    {
        this.assemblyMode = assemblyMode;
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            environmentMode = Parse(environmentValue);
            if (environmentMode is null)
                ConfigurationError = new WarmGateConfigurationException(
                    $"{EnvironmentVariable} is '{environmentValue}', which is not a gate mode. " +
                    $"Set it to error, warn or off, or unset it to use the default (error).");
        }
    }

    /// <summary>The policy of a test assembly: its assembly-level attribute and the process environment.</summary>
    /// <param name="assembly">The test assembly.</param>
    public static GatePolicy For(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return new GatePolicy(
            assembly.GetCustomAttribute<WarmGateModeAttribute>()?.Mode,
            Environment.GetEnvironmentVariable(EnvironmentVariable));
    }

    /// <summary>Why the configuration is invalid, or null when it is valid.</summary>
    public WarmGateConfigurationException? ConfigurationError { get; }

    /// <summary>
    /// The mode for events outside any test: the assembly attribute, else the environment, else
    /// error (also error when the configuration is invalid).
    /// </summary>
    public GateMode RunMode => ConfigurationError is null ? assemblyMode ?? environmentMode ?? GateMode.Error : GateMode.Error;

    /// <summary>The mode of a test from the modes set on its method and class.</summary>
    /// <param name="methodMode">The method's mode, if set.</param>
    /// <param name="classMode">The class's mode, if set.</param>
    /// <exception cref="WarmGateConfigurationException">The configuration is invalid.</exception>
    public GateMode Resolve(GateMode? methodMode, GateMode? classMode)
    {
        if (ConfigurationError is not null) throw ConfigurationError;
        return methodMode ?? classMode ?? assemblyMode ?? environmentMode ?? GateMode.Error;
    }

    /// <summary>The mode of a test from the attributes on its method and class.</summary>
    /// <param name="testMethod">The test method.</param>
    /// <param name="testClass">The test class (the method may be declared on a base class).</param>
    /// <exception cref="WarmGateConfigurationException">The configuration is invalid.</exception>
    public GateMode ForTest(MethodInfo testMethod, Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        ArgumentNullException.ThrowIfNull(testClass);
        return Resolve(
            testMethod.GetCustomAttribute<WarmGateModeAttribute>(inherit: true)?.Mode,
            testClass.GetCustomAttribute<WarmGateModeAttribute>(inherit: true)?.Mode);
    }

    /// <summary>Parses error, warn or off (any case, surrounding blanks ignored); null for anything else.</summary>
    /// <param name="value">The text.</param>
    public static GateMode? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "ERROR" => GateMode.Error,
        "WARN" => GateMode.Warn,
        "OFF" => GateMode.Off,
        _ => null,
    };
}
