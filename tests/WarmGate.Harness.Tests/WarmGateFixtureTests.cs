using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using WarmGate.Kernels.Runtime;
using Xunit.Abstractions;

namespace WarmGate.Harness.Tests;

// GateSession.Active is process-wide: these tests activate it one at a time, alone.
[CollectionDefinition(nameof(ActiveSessionCollection), DisableParallelization = true)]
public sealed class ActiveSessionCollection;

[Collection(nameof(ActiveSessionCollection))]
public sealed class WarmGateFixtureTests
{
    private readonly RecordingSink sink = new();

    [Fact]
    public async Task Initialize_loads_warms_up_and_leaves_the_registry_serving()
    {
        using var session = new GateSession();
        using var active = session.Activate();
        using var listening = session.Listen();
        var fixture = new Fixture<FakeTarget>(sink, new FakeTarget([1, 2], name: "fixture-" + Guid.NewGuid().ToString("N")));

        await fixture.InitializeAsync();

        fixture.StartupFailure.Should().BeNull();
        fixture.Target.Registry.Phase.Should().Be(KernelPhase.Serving);
        session.Targets.Should().Equal(fixture.Target.Name);
        session.Events.Where(r => r.Event.Runtime == fixture.Target.Name).Select(r => (r.Event.Key, r.Event.Phase))
            .Should().Equal(("factor=1", KernelPhase.WarmingUp), ("factor=2", KernelPhase.WarmingUp));
        sink.Diagnostics.Should().ContainSingle().Which.Should().Contain("2 kernel compile(s)").And.Contain("gate is armed");
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task A_load_failure_is_kept_and_rethrown_with_its_cause()
    {
        using var session = new GateSession();
        using var active = session.Activate();
        var fixture = new Fixture<FakeTarget>(sink, new FakeTarget([1], failLoad: true));

        await fixture.InitializeAsync();

        var failure = fixture.StartupFailure.Should().BeOfType<WarmGateStartupException>().Subject;
        failure.Message.Should().Contain("failed while loading 'fake'").And.Contain("weights are missing");
        failure.InnerException.Should().BeOfType<FileNotFoundException>();
        var act = () => fixture.Target;
        act.Should().Throw<WarmGateStartupException>().WithInnerException<FileNotFoundException>();
        sink.Diagnostics.Should().ContainSingle().Which.Should().Contain("FileNotFoundException");
        session.Targets.Should().BeEmpty();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task A_warmup_that_moves_the_phase_back_is_a_startup_failure()
    {
        using var session = new GateSession();
        using var active = session.Activate();
        var fixture = new Fixture<ServingTooEarlyTarget>(sink, new ServingTooEarlyTarget());
        await fixture.InitializeAsync();
        fixture.StartupFailure!.Message.Should().Contain("failed while warming up").And.Contain("cannot go back");
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_test_framework_the_fixture_refuses_to_start()
    {
        GateSession.Active.Should().BeNull();
        var fixture = new Fixture<FakeTarget>(sink, new FakeTarget([1]));
        var act = fixture.InitializeAsync;
        await act.Should().ThrowAsync<WarmGateConfigurationException>().WithMessage("*[assembly: WarmGate.Harness.WarmGateTestFramework]*");
    }

    [Fact]
    public void Only_one_session_is_active_at_a_time()
    {
        using var first = new GateSession();
        using var second = new GateSession();
        using (first.Activate())
        {
            GateSession.Active.Should().BeSameAs(first);
            var act = second.Activate;
            act.Should().Throw<InvalidOperationException>();
        }
        GateSession.Active.Should().BeNull();
    }

    private sealed class Fixture<T>(IMessageSink sink, T target) : WarmGateFixture<T>(sink)
        where T : class, IWarmGateTarget
    {
        protected override T CreateTarget() => target;
    }

    /// <summary>A target that wrongly starts serving while it loads.</summary>
    private sealed class ServingTooEarlyTarget : IWarmGateTarget
    {
        private readonly FakeTarget inner = new([1], name: "too-early");

        public string Name => inner.Name;

        public KernelRegistry Registry => inner.Registry;

        public async Task LoadAsync(CancellationToken cancellationToken = default)
        {
            await inner.LoadAsync(cancellationToken);
            inner.Registry.EnterPhase(KernelPhase.Serving);
        }

        public Task WarmupAsync(CancellationToken cancellationToken = default) => inner.WarmupAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
