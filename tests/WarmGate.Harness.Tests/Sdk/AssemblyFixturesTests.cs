using WarmGate.Harness.Sdk;
using WarmGate.Harness.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WarmGate.Harness.Tests.Sdk;

public sealed class AssemblyFixturesTests
{
    private readonly RecordingSink sink = new();

    [Fact]
    public async Task Fixtures_are_created_with_the_sink_initialized_and_disposed()
    {
        var fixtures = await AssemblyFixtures.CreateAsync([typeof(GoodFixture), typeof(PlainFixture)], sink);

        fixtures.Failures.Should().BeEmpty();
        var good = fixtures.Instances[typeof(GoodFixture)].Should().BeOfType<GoodFixture>().Subject;
        good.Sink.Should().BeSameAs(sink);
        good.Initialized.Should().BeTrue();
        var plain = (PlainFixture)fixtures.Instances[typeof(PlainFixture)];

        var aggregator = new ExceptionAggregator();
        await fixtures.DisposeAsync(aggregator);
        aggregator.HasExceptions.Should().BeFalse();
        good.Disposed.Should().BeTrue();
        plain.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task A_fixture_that_throws_is_kept_as_a_failure_with_its_cause()
    {
        var fixtures = await AssemblyFixtures.CreateAsync([typeof(ThrowingConstructor), typeof(ThrowingInitialize)], sink);

        fixtures.Instances.Keys.Should().Equal(typeof(ThrowingInitialize));
        fixtures.Failures[typeof(ThrowingConstructor)].Should().BeOfType<WarmGateStartupException>()
            .Which.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("no GPU");
        fixtures.Failures[typeof(ThrowingInitialize)].Message.Should().Contain("failed in InitializeAsync: weights corrupt");
    }

    [Fact]
    public async Task A_fixture_that_cannot_be_constructed_says_why()
    {
        var fixtures = await AssemblyFixtures.CreateAsync([typeof(NeedsAString), typeof(IWarmGateFixture)], sink);
        fixtures.Failures[typeof(NeedsAString)].Message.Should().Contain("constructor parameter 'name'").And.Contain("may only take an IMessageSink");
        fixtures.Failures[typeof(IWarmGateFixture)].Message.Should().Contain("exactly one public constructor");
    }

    public sealed class GoodFixture(IMessageSink sink) : IAsyncLifetime
    {
        public IMessageSink Sink { get; } = sink;

        public bool Initialized { get; private set; }

        public bool Disposed { get; private set; }

        public Task InitializeAsync()
        {
            Initialized = true;
            return Task.CompletedTask;
        }

        public Task DisposeAsync()
        {
            Disposed = true;
            return Task.CompletedTask;
        }
    }

    public sealed class PlainFixture : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    public sealed class ThrowingConstructor
    {
        public ThrowingConstructor() => throw new InvalidOperationException("no GPU");
    }

    public sealed class ThrowingInitialize : IAsyncLifetime
    {
        public Task InitializeAsync() => throw new InvalidDataException("weights corrupt");

        public Task DisposeAsync() => Task.CompletedTask;
    }

    public sealed class NeedsAString(string name)
    {
        public string Name { get; } = name;
    }
}
