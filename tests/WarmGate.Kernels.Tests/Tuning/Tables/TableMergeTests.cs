using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TableMergeTests
{
    [Fact]
    public void Tables_of_different_devices_stay_separate()
    {
        var h100 = Table(H100).WithSource("h100.json");
        var h200 = Table(H200).WithSource("h200.json");
        var h100b = Table(H100, entries: [DecodeEntry(key: "other")]).WithSource("h100b.json");

        var merged = TableMerge.Merge([h100, h200, h100b]);

        merged.Should().HaveCount(2);
        merged[0].Device.Should().Be(H100);
        merged[0].Entries.Select(e => e.Key).Should().BeEquivalentTo(Prefill().Key, DecodeEntry().Key, "other");
        merged[0].Source.Should().BeNull("a merged table was not read from anywhere");
        merged[1].Should().BeSameAs(h200, "a device with one table gets it unchanged");
    }

    [Fact]
    public void Same_device_tables_without_conflict_combine_and_ignore_the_driver()
    {
        var first = Table(H200, entries: [Prefill()]);
        var second = new TuningTable(H200OtherDriver, "1.5.3", "0.1.0", Created.AddDays(1), [DecodeEntry(), Prefill(ms: 0.13)]);

        var merged = TableMerge.Merge([first, second]).Should().ContainSingle().Which;

        merged.Device.Should().Be(H200, "the first table's signature is kept");
        merged.CreatedUtc.Should().Be(Created.AddDays(1));
        merged.Entries.Should().HaveCount(2);
        merged.TryGetEntry("ssd.prefill", Prefill().Key, out var prefill).Should().BeTrue();
        prefill!.Milliseconds.Should().Be(0.125, "the same config is no conflict; the first is kept");
    }

    [Fact]
    public void Conflicts_are_refused_with_kernel_key_and_both_configs()
    {
        var first = Table(entries: [Prefill(), DecodeEntry()]).WithSource("a.json");
        var second = Table(entries: [Prefill(config: "BP=32,BN=64", ms: 0.1), DecodeEntry(hash: "hash-decode-v2")]).WithSource("b.json");

        var act = () => TableMerge.Merge([first, second]);

        var e = act.Should().Throw<TableMergeException>().Which;
        e.Conflicts.Should().HaveCount(2);
        e.Message.Should().Contain("2 (kernel, key) pair(s)").And.Contain("first, second or faster");
        e.Message.Should().Contain("ssd.prefill [P=64,N=128,Q=256,G=1,T=f16]: BP=16,BN=64 (0.125 ms) in a.json vs BP=32,BN=64 (0.1 ms) in b.json");
        e.Message.Should().Contain("ssd.decode [P=64,N=128,T=f16]: B=128").And.Contain("kernel hashes differ (hash-decode vs hash-decode-v2)");
    }

    [Theory]
    [InlineData(MergePreference.First, "BP=16,BN=64")]
    [InlineData(MergePreference.Second, "BP=32,BN=64")]
    [InlineData(MergePreference.Faster, "BP=32,BN=64")]
    public void A_preference_resolves_conflicts(MergePreference prefer, string config)
    {
        var first = Table(entries: [Prefill()]);
        var second = Table(entries: [Prefill(config: "BP=32,BN=64", ms: 0.1)]);

        var merged = TableMerge.Merge([first, second], prefer).Single();

        merged.Entries.Should().ContainSingle().Which.Config.Should().Be(config);
    }

    [Fact]
    public void Faster_keeps_the_earlier_entry_on_a_tie_and_the_faster_among_many()
    {
        var tables = new[]
        {
            Table(entries: [Prefill(config: "BP=16,BN=64", ms: 0.2)]),
            Table(entries: [Prefill(config: "BP=32,BN=64", ms: 0.1)]),
            Table(entries: [Prefill(config: "BP=64,BN=128", ms: 0.1)]),
        };

        TableMerge.Merge(tables, MergePreference.Faster).Single().Entries.Single().Config.Should().Be("BP=32,BN=64");
    }

    [Fact]
    public void Different_ilgpu_versions_of_one_device_are_refused_even_with_a_preference()
    {
        var act = () => TableMerge.Merge([Table(ilgpu: "1.5.2").WithSource("old.json"), Table(ilgpu: "1.5.3")], MergePreference.Second);

        var e = act.Should().Throw<TableMergeException>().Which;
        e.Conflicts.Should().BeEmpty();
        e.Message.Should().Contain("old.json (ILGPU 1.5.2)").And.Contain("(ILGPU 1.5.3)").And.Contain("re-tune");
    }
}
