using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TableShowTests
{
    [Fact]
    public void Shows_header_and_one_aligned_line_per_entry_with_runner_up()
    {
        var text = TableShow.Format(Table().WithSource("h200.json"));
        var lines = text.Split('\n');

        lines[0].Should().Be("Tuning table h200.json");
        text.Should().Contain("device:   Cuda NVIDIA H200 (SM_90, 132 MPs, driver 12.8)");
        text.Should().Contain("versions: schema 1, ILGPU 1.5.3, WarmGate 0.1.0");
        text.Should().Contain("created:  2025-01-31 12:00:00Z");
        text.Should().Contain("entries:  2");
        var header = lines.Single(l => l.TrimStart().StartsWith("kernel", StringComparison.Ordinal));
        var prefill = lines.Single(l => l.Contains("ssd.prefill", StringComparison.Ordinal));
        var decode = lines.Single(l => l.Contains("ssd.decode", StringComparison.Ordinal));
        prefill.Should().Contain("BP=16,BN=64").And.Contain("0.125").And.Contain("BP=32,BN=64 0.15 ms (+20.0%)");
        decode.Should().Contain("B=256 0.015 ms (+50.0%)");
        prefill.IndexOf("BP=16,BN=64", StringComparison.Ordinal).Should().Be(header.IndexOf("config", StringComparison.Ordinal), "columns are aligned");
        decode.IndexOf("B=128", StringComparison.Ordinal).Should().Be(header.IndexOf("config", StringComparison.Ordinal));
    }

    [Fact]
    public void An_entry_without_a_runner_up_shows_a_dash_and_counts_pruned_candidates()
    {
        var entry = new TuningEntry("k", "h", "key", "A", 1, [new("A", 1), new("B", double.NaN, "too big"), new("C", double.NaN)]);

        var line = TableShow.Format(Table(entries: [entry])).Split('\n').Single(l => l.TrimStart().StartsWith("k ", StringComparison.Ordinal));

        line.Should().MatchRegex(@"^\s+k\s+key\s+A\s+1\s+-\s+2\s+h$");
    }

    [Fact]
    public void An_empty_table_shows_its_header_only()
    {
        var text = TableShow.Format(new TuningTable(Cpu, "1.5.3", "0.1.0", Created, []));

        text.Should().Contain("entries:  0").And.NotContain("runner-up");
    }
}
