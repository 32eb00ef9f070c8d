using System.Text;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableRoundTripTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_written_table_reads_back_equal_with_its_path_as_source()
    {
        var table = Table();
        var path = dir.File("h200.json");

        TuningTableWriter.WriteFile(table, path).Should().BeTrue();
        var read = TuningTableReader.ReadFile(path);

        read.Should().Be(table);
        read.Source.Should().Be(path);
        read.Entries.Should().Equal(table.Entries);
        read.Entries[1].Candidates[2].Milliseconds.Should().Be(double.NaN, "a pruned candidate is written as null and read back as NaN");
        read.Entries[1].Candidates[2].Note.Should().Be("needs 80 KiB shared memory");
    }

    [Fact]
    public void Writing_is_stable_and_does_not_rewrite_an_unchanged_file()
    {
        var path = dir.File("t.json");
        TuningTableWriter.WriteFile(Table(), path).Should().BeTrue();
        var first = File.ReadAllBytes(path);
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        var reread = TuningTableReader.ReadFile(path);
        TuningTableWriter.WriteFile(reread, path).Should().BeFalse();

        File.ReadAllBytes(path).Should().Equal(first);
        File.GetLastWriteTimeUtc(path).Should().Be(stamp, "an unchanged table must not touch the file (incremental builds)");
        TuningTableWriter.ToUtf8Bytes(reread).Should().Equal(first);
    }

    [Fact]
    public void A_changed_table_is_rewritten()
    {
        var path = dir.File("t.json");
        TuningTableWriter.WriteFile(Table(), path);

        TuningTableWriter.WriteFile(Table(entries: [Prefill(ms: 0.5)]), path).Should().BeTrue();

        TuningTableReader.ReadFile(path).Entries.Should().ContainSingle().Which.Milliseconds.Should().Be(0.5);
    }

    [Fact]
    public void Output_is_sorted_camelCase_indented_with_unix_newlines()
    {
        var table = new TuningTable(H200, "1.5.3", "0.1.0", Created,
            [Prefill(key: "b"), DecodeEntry(key: "z"), Prefill(key: "a")]);

        var json = TuningTableWriter.ToJson(table);

        json.Should().NotContain("\r").And.EndWith("}\n");
        json.Should().Contain("\"schemaVersion\": 1").And.Contain("\"kernelHash\": \"hash-prefill\"").And.Contain("\"createdUtc\": \"2025-01-31T12:00:00Z\"");
        json.Should().NotContain("\"source\"", "the source is where a table was read from, not part of it");
        var order = new[] { "\"key\": \"z\"", "\"key\": \"a\"", "\"key\": \"b\"" }.Select(k => json.IndexOf(k, StringComparison.Ordinal)).ToArray();
        order.Should().BeInAscendingOrder("entries are sorted by kernel (ssd.decode < ssd.prefill), then key").And.OnlyContain(i => i >= 0);
        json.Should().Contain("\"milliseconds\": null", "pruned candidates keep their place with a null time");
    }

    [Fact]
    public void Reading_from_a_stream_uses_the_given_source_and_accepts_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ValidJson)).ToArray();
        using var stream = new MemoryStream(bytes);

        var table = TuningTableReader.Read(stream, "my-source");

        table.Source.Should().Be("my-source");
        table.Device.Should().Be(H200);
        table.CreatedUtc.Should().Be(Created);
        table.Entries.Should().ContainSingle().Which.RunnerUp.Should().BeNull("the only other candidate was pruned");
    }

    [Fact]
    public void Times_round_trip_exactly()
    {
        var ms = 0.1 + 0.2; // 0.30000000000000004
        var table = Table(entries: [Prefill(ms: ms)]);

        var read = TuningTableReader.Parse(TuningTableWriter.ToUtf8Bytes(table), "mem");

        read.Entries[0].Milliseconds.Should().Be(ms);
    }
}
