using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class GateMessagesTests
{
    [Fact]
    public void A_test_message_names_kernel_key_config_duration_call_site_and_what_to_do()
    {
        var e = Events.Compiled(kernel: "ssd.chunk_state", key: "P=64,N=16,T=f16", config: "BP=16", ms: 41.27);
        var text = GateMessages.ForTest("My.Tests.Decode", [e], GateMode.Error);

        text.Should().StartWith("WarmGate: 1 kernel compile after load (Serving phase) in test 'My.Tests.Decode'; gate mode error.");
        text.Should().Contain("kernel ssd.chunk_state key=P=64,N=16,T=f16 config=BP=16, 41.3 ms, runtime unit (CPU)");
        text.Should().Contain("at My.Tests.SomeTest (SomeTest.cs:42)");
        text.Should().Contain("specialization Kernels.ChunkScan<F32,On>");
        text.Should().Contain("Add this path to the warmup plan").And.Contain("ssd.chunk_state key=P=64,N=16,T=f16");
        text.Should().Contain("[WarmGateMode(GateMode.Off)]");
        text.Should().NotContain("Pre-tune", "a compile alone is fixed by the warmup plan");
    }

    [Fact]
    public void A_tuning_run_points_to_pre_tuning()
    {
        var tune = Events.Of(KernelEventKind.TuneStarted) with { Config = "" };
        var text = GateMessages.ForTest("T", [tune, Events.Compiled()], GateMode.Error);
        text.Should().Contain("1 kernel compile and 1 tuning run after load");
        text.Should().Contain("tuning run of kernel ssd.chunk_scan key=P=64,N=128, 12.5 ms");
        text.Should().Contain("`warmgate tune`").And.Contain("WarmGatePretuneKernels");
    }

    [Fact]
    public void Warn_mode_says_the_test_passes()
    {
        GateMessages.ForTest("T", [Events.Compiled(), Events.Compiled(key: "b")], GateMode.Warn)
            .Should().Contain("2 kernel compiles after load").And.Contain("the test passes because its gate mode is warn");
    }

    [Fact]
    public void A_missing_call_site_is_said_so()
    {
        GateMessages.ForTest("T", [Events.Compiled() with { CallSite = null }], GateMode.Error)
            .Should().Contain("at <call site unknown>");
    }

    [Fact]
    public void The_run_message_says_why_each_event_has_no_test()
    {
        var events = new[]
        {
            new RecordedEvent(3, Events.Compiled(key: "a"), null, EventVerdict.OutsideAnyTest),
            new RecordedEvent(7, Events.Compiled(key: "b", scope: "T"), "T", EventVerdict.OutsideAnyTest, "after test 'T' ended"),
            new RecordedEvent(9, Events.Compiled(key: "c", scope: "custom"), null, EventVerdict.OutsideAnyTest),
        };
        var text = GateMessages.ForRun(events, GateMode.Error);
        text.Should().StartWith("WarmGate: 3 kernel compiles after load (Serving phase) outside any running test; the run fails.");
        text.Should().Contain("after test 'T' ended");
        text.Should().Contain("in kernel scope 'custom', which is not a running test");
        text.Should().Contain("make the work flow from it");
        GateMessages.ForRun(events, GateMode.Warn).Should().Contain("the run passes because its gate mode is warn");
    }
}
