namespace WarmGate.Harness.Sdk;

/// <summary>Launches of a compiled kernel made in tests, as the registry reported them.</summary>
/// <param name="Launch">The runtime, kernel, key and config the registry reported for the launch.</param>
/// <param name="Tests">The display names of the tests that made it, sorted.</param>
public sealed record RecordedUse(WarmedKey Launch, IReadOnlyList<string> Tests);
