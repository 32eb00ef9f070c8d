using Xunit.Abstractions;

namespace WarmGate.Harness.Sdk;

/// <summary>What every WarmGate runner below the assembly needs: the session, the policy, the assembly fixtures.</summary>
/// <param name="Session">The run's gate session.</param>
/// <param name="Policy">The run's gate policy.</param>
/// <param name="Fixtures">The assembly fixtures.</param>
/// <param name="Diagnostics">The diagnostic message sink.</param>
public sealed record RunContext(GateSession Session, GatePolicy Policy, AssemblyFixtures Fixtures, IMessageSink Diagnostics);
