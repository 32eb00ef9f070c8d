using System.Text.Json;
using WarmGate.Cli.Bench;
using WarmGate.Cli.Bench.Timing;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Cli.Tests.Bench;

public sealed class BenchPartsTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks()
    {
        var stats = TimingStats.Of([5.0, 1.0, 4.0, 2.0, 3.0]);
        stats.MedianUs.Should().Be(3);
        stats.P10Us.Should().BeApproximately(1.4, 1e-12);
        stats.P90Us.Should().BeApproximately(4.6, 1e-12);
        stats.Runs.Should().Be(5);
        TimingStats.Of([7.0]).P90Us.Should().Be(7);
        ((Action)(() => TimingStats.Of([]))).Should().Throw<ArgumentException>();
        ((Action)(() => TimingStats.Of([1.0, double.NaN]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Ssd_io_bytes_match_the_spec_table_for_Mamba2_2_7B()
    {
        var shape = new SsdShape(80, 64, 1, 128);
        Costs.SsdPrefillIoBytes(shape, new SsdOptions { InputDtype = Dtype.F16 }, 1).Should().Be(21_472);
        Costs.SsdPrefillIoBytes(shape, new SsdOptions { InputDtype = Dtype.F32 }, 1).Should().Be(42_624);
        Costs.SsdPrefillIoBytes(new SsdShape(64, 64, 8, 128), new SsdOptions { InputDtype = Dtype.F16 }, 8192)
            .Should().Be(8192 * 20_864.0);
    }

    [Fact]
    public void Ssd_flops_match_the_spec_table_at_chunk_size_256()
    {
        (Costs.SsdPrefillFlops(new SsdShape(80, 64, 1, 128), 1, 256) / 1e6).Should().BeApproximately(4.00, 0.01);
        (Costs.SsdPrefillFlops(new SsdShape(64, 64, 8, 128), 1, 256) / 1e6).Should().BeApproximately(3.68, 0.01);
    }

    [Fact]
    public void Decode_bytes_are_the_state_read_and_written_plus_the_inputs()
    {
        var shape = new StateUpdateShape(80, 64, 1, 128);
        var options = new StateUpdateOptions();
        var perSequenceState = 2.0 * 80 * 64 * 128 * 4;
        var one = Costs.DecodeBytes(shape, options, 1);
        one.Should().BeGreaterThan(perSequenceState).And.BeLessThan(perSequenceState * 1.01);
        (Costs.DecodeBytes(shape, options, 256) - (4 * 3 * 80)).Should().BeApproximately(256 * (one - (4 * 3 * 80)), 1e-3);
        Costs.GigabytesPerSecond(4.8e9, 1e6).Should().Be(4.8);
        Costs.TeraflopsPerSecond(2e12, 1e6).Should().Be(2);
    }

    [Fact]
    public void A_line_is_one_JSON_object_in_field_order_with_non_finite_numbers_as_null()
    {
        var json = new BenchLine("decode", "NVIDIA H200")
            .Add("batch", 256).Add("median_us", 1234.56789).Add("gbps", double.NaN).Add("quick", false).Add("config", "GS=128,TP=4")
            .Add("batch", 64)
            .ToJson();
        json.Should().NotContain("\n");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("bench", "device", "batch", "median_us", "gbps", "quick", "config");
        doc.RootElement.GetProperty("batch").GetInt32().Should().Be(64);
        doc.RootElement.GetProperty("median_us").GetDouble().Should().Be(1234.57);
        doc.RootElement.GetProperty("gbps").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Only_takes_known_names_in_any_order_and_keeps_the_run_order()
    {
        BenchKinds.Parse(null).Should().Equal(BenchKinds.All);
        BenchKinds.Parse("startup, ssd-prefill,startup").Should().Equal("ssd-prefill", "startup");
        ((Action)(() => BenchKinds.Parse("decode,warp"))).Should().Throw<CliException>().WithMessage("*'warp'*ssd-prefill*");
    }

    [Fact]
    public void The_sink_writes_each_line_to_stdout_and_the_file_and_counts_refusals()
    {
        var dir = Directory.CreateTempSubdirectory("warmgate-sink-").FullName;
        try
        {
            var path = Path.Combine(dir, "out.jsonl");
            var stdout = new StringWriter();
            using (var sink = new BenchSink(stdout, path))
            {
                sink.Write(new BenchLine("env", "cpu"));
                sink.WriteRefused(new BenchLine("decode", "cpu").Add("refused", true));
                File.Exists(BenchSink.PartialPath(path)).Should().BeTrue("lines land in FILE.partial while running");
                File.Exists(path).Should().BeFalse();
                sink.Refused.Should().Be(1);
                sink.Complete();
            }
            File.Exists(BenchSink.PartialPath(path)).Should().BeFalse();
            File.ReadAllText(path).Should().Be(stdout.ToString().ReplaceLineEndings("\n"));
            stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
