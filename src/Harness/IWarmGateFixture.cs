namespace WarmGate.Harness;

/// <summary>
/// What the WarmGate test framework needs from a fixture: whether it started. A test whose
/// constructor takes a fixture with a <see cref="StartupFailure"/> fails with that cause
/// before the test body runs.
/// </summary>
public interface IWarmGateFixture
{
    /// <summary>Why loading or warmup failed, or null when the fixture started.</summary>
    Exception? StartupFailure { get; }
}
