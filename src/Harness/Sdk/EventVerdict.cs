namespace WarmGate.Harness.Sdk;

/// <summary>What the gate made of one kernel event.</summary>
public enum EventVerdict
{
    /// <summary>Not a compile or tuning run in the <c>Serving</c> phase: load, warmup, a finished tune, a rejected table entry.</summary>
    Allowed,

    /// <summary>A compile or tuning run after load inside a test in <see cref="GateMode.Error"/>: that test fails.</summary>
    FailedTest,

    /// <summary>A compile or tuning run after load inside a test in <see cref="GateMode.Warn"/>: reported, the test passes.</summary>
    Warned,

    /// <summary>A compile or tuning run after load inside a test in <see cref="GateMode.Off"/>: only listed in the report.</summary>
    Ignored,

    /// <summary>A compile or tuning run after load outside any running test: fails the run at the end.</summary>
    OutsideAnyTest,
}
