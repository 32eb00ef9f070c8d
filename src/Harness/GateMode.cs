namespace WarmGate.Harness;

/// <summary>What the gate does when a kernel compiles or tunes after load (in the <c>Serving</c> phase).</summary>
public enum GateMode
{
    /// <summary>The test fails with a message naming the kernel, key, config and call site (the default).</summary>
    Error,

    /// <summary>The test passes; the same message goes to the test's output and the diagnostic messages.</summary>
    Warn,

    /// <summary>The test is not gated: the events are only listed in the report.</summary>
    Off,
}
