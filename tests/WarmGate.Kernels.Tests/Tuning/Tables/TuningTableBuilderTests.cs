using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableBuilderTests
{
    [Fact]
    public void Builds_a_sorted_table_with_the_current_versions_by_default()
    {
        var table = new TuningTableBuilder(Cpu)
            .Add(Prefill())
            .Add("ssd.decode", "hash-decode", "k", "B=128", 0.5, [new CandidateTiming("B=128", 0.5)])
            .Build(Created);

        table.Entries.Select(e => e.Kernel).Should().Equal("ssd.decode", "ssd.prefill");
        table.IlgpuVersion.Should().Be(TuningVersions.Ilgpu).And.MatchRegex(@"^1\.5\.3");
        table.WarmGateVersion.Should().Be(TuningVersions.WarmGate).And.NotContain("+");
        table.SchemaVersion.Should().Be(TuningVersions.CurrentSchema);
        table.CreatedUtc.Should().Be(Created);
        table.Source.Should().BeNull();
    }

    [Fact]
    public void Duplicates_and_invalid_entries_are_refused_when_added()
    {
        var builder = new TuningTableBuilder(H200).Add(Prefill());

        builder.Invoking(b => b.Add(Prefill(config: "BP=32,BN=64"))).Should().Throw<ArgumentException>().WithMessage("*ssd.prefill*Set*");
        builder.Invoking(b => b.Add("k", "h", "key", "", 1)).Should().Throw<ArgumentException>().WithMessage("*'config' is empty*");
        builder.Invoking(b => b.Add("k", "h", "key", "c", double.NaN)).Should().Throw<ArgumentException>().WithMessage("*'milliseconds' is NaN*");
        builder.Invoking(b => b.Add("k", "h", "key", "c", 1, [new CandidateTiming("d", -1)])).Should().Throw<ArgumentException>().WithMessage("*candidates[0]*");
        builder.Count.Should().Be(1);
    }

    [Fact]
    public void Set_replaces_and_Remove_removes()
    {
        var builder = new TuningTableBuilder(H200).Add(Prefill()).Add(DecodeEntry());

        builder.Set(Prefill(config: "BP=32,BN=64", ms: 0.1));
        builder.Remove("ssd.decode", DecodeEntry().Key).Should().BeTrue();
        builder.Remove("ssd.decode", DecodeEntry().Key).Should().BeFalse();

        builder.Build().Entries.Should().ContainSingle().Which.Config.Should().Be("BP=32,BN=64");
    }

    [Fact]
    public void A_table_rebuilt_unchanged_keeps_its_creation_time_and_bytes()
    {
        var original = Table();

        var same = TuningTableBuilder.From(original).Set(Prefill()).Build();
        var changed = TuningTableBuilder.From(original).Set(Prefill(ms: 0.2)).Build();

        same.Should().Be(original);
        TuningTableWriter.ToUtf8Bytes(same).Should().Equal(TuningTableWriter.ToUtf8Bytes(original));
        changed.CreatedUtc.Should().BeAfter(original.CreatedUtc);
    }

    [Fact]
    public void A_table_cannot_be_constructed_invalid()
    {
        var duplicate = () => new TuningTable(H200, "1.5.3", "0.1.0", Created, [Prefill(), Prefill(ms: 1)]);
        var negative = () => new TuningTable(H200, "1.5.3", "0.1.0", Created, [Prefill(ms: -1)]);
        var newer = () => new TuningTable(H200, "1.5.3", "0.1.0", Created, [], schemaVersion: 99);

        duplicate.Should().Throw<ArgumentException>().WithMessage("*entries[0] and entries[1]*");
        negative.Should().Throw<ArgumentException>().WithMessage("*'milliseconds' is -1*");
        newer.Should().Throw<ArgumentException>().WithMessage("*newer WarmGate*");
    }
}
