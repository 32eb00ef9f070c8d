using System.Globalization;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TableDiffTests
{
    [Fact]
    public void Identical_tables_have_no_differences()
    {
        var diff = TableDiff.Compare(Table(), Table());

        diff.IsEmpty.Should().BeTrue();
        diff.Unchanged.Should().Be(2);
        diff.Format().Should().EndWith("0 added, 0 removed, 0 config changed, 0 time changed, 0 hash changed, 2 unchanged\n");
    }

    [Fact]
    public void Added_and_removed_entries_are_listed_with_their_values()
    {
        var before = Table(entries: [Prefill(), DecodeEntry()]);
        var after = Table(entries: [Prefill(), DecodeEntry(key: "P=128,N=128,T=f32", config: "B=256", ms: 0.02)]);

        var diff = TableDiff.Compare(before, after);

        diff.Changes.Select(c => c.Kind).Should().Equal(TableChangeKind.Added, TableChangeKind.Removed);
        diff.Changes[0].ToString().Should().Be("+ ssd.decode [P=128,N=128,T=f32]: added B=256 (0.02 ms)");
        diff.Changes[1].ToString().Should().Be("- ssd.decode [P=64,N=128,T=f16]: removed B=128 (0.01 ms)");
        diff.Unchanged.Should().Be(1);
    }

    [Fact]
    public void A_config_change_shows_both_configs_and_times()
    {
        var diff = TableDiff.Compare(Table(entries: [Prefill()]), Table(entries: [Prefill(config: "BP=32,BN=64", ms: 0.1)]));

        var change = diff.Changes.Should().ContainSingle().Which;
        change.Kind.Should().Be(TableChangeKind.ConfigChanged);
        change.ToString().Should().Be("~ ssd.prefill [P=64,N=128,Q=256,G=1,T=f16]: config BP=16,BN=64 (0.125 ms) -> BP=32,BN=64 (0.1 ms)");
    }

    [Theory]
    [InlineData(0.125, 0.135, 10, null)]
    [InlineData(0.125, 0.1, 10, "-20.0%")]
    [InlineData(0.125, 0.15, 10, "+20.0%")]
    [InlineData(0.125, 0.135, 5, "+8.0%")]
    public void A_time_change_is_reported_only_beyond_the_threshold(double before, double after, double threshold, string? expected)
    {
        var diff = TableDiff.Compare(Table(entries: [DecodeEntry(ms: before)]), Table(entries: [DecodeEntry(ms: after)]), threshold);

        if (expected is null)
        {
            diff.Changes.Should().BeEmpty();
            diff.Unchanged.Should().Be(1);
        }
        else
        {
            var change = diff.Changes.Should().ContainSingle().Which;
            change.Kind.Should().Be(TableChangeKind.TimeChanged);
            change.ToString().Should().Contain(string.Create(CultureInfo.InvariantCulture, $"time {before} ms -> {after} ms ({expected})"));
        }
    }

    [Fact]
    public void A_kernel_hash_change_alone_is_reported()
    {
        var diff = TableDiff.Compare(Table(entries: [DecodeEntry()]), Table(entries: [DecodeEntry(hash: "new-hash")]));

        var change = diff.Changes.Should().ContainSingle().Which;
        change.Kind.Should().Be(TableChangeKind.KernelHashChanged);
        change.ToString().Should().Contain("kernel hash hash-decode -> new-hash");
    }

    [Fact]
    public void Header_differences_are_listed()
    {
        var before = Table(H100);
        var after = new TuningTable(H200, "1.5.4", "0.2.0", Created, before.Entries);

        var diff = TableDiff.Compare(before, after);

        diff.HeaderChanges.Should().HaveCount(3);
        diff.HeaderChanges[0].Should().StartWith("device: Cuda NVIDIA H100").And.Contain("-> Cuda NVIDIA H200");
        diff.HeaderChanges[1].Should().Be("ILGPU version: 1.5.3 -> 1.5.4");
        diff.HeaderChanges[2].Should().Be("WarmGate version: 0.1.0 -> 0.2.0");
        diff.Changes.Should().BeEmpty();
        diff.IsEmpty.Should().BeFalse();
        TableDiff.Compare(Table(H200), Table(H200OtherDriver)).HeaderChanges.Should().Equal("driver: 12.8 -> 12.9");
    }

    [Fact]
    public void A_negative_threshold_is_refused()
    {
        var act = () => TableDiff.Compare(Table(), Table(), -1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
