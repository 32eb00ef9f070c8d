namespace WarmGate.Harness.Sdk;

/// <summary>Finds a fixture that could not start among a test class's constructor arguments.</summary>
internal static class StartupFailures
{
    public static Exception? Find(IEnumerable<object?> constructorArguments) =>
        constructorArguments.OfType<IWarmGateFixture>().Select(f => f.StartupFailure).FirstOrDefault(e => e is not null);
}
