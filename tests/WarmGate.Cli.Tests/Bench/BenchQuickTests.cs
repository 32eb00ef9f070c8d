using System.Text.Json;

namespace WarmGate.Cli.Tests.Bench;

/// <summary>
/// The quick bench on the CPU accelerator, end to end: the JSON lines parse, every bench kind is
/// there with its fields, numbers are finite, and every kernel result is within its tolerance.
/// No timing is asserted.
/// </summary>
public sealed class BenchQuickTests(QuickBenchRun run) : IClassFixture<QuickBenchRun>
{
    private static readonly string[] KernelTiming = ["median_us", "p10_us", "p90_us", "runs", "gbps", "tflops", "max_rel_err", "config"];

    [Fact]
    public void Exits_0_and_writes_only_JSON_lines_to_stdout()
    {
        run.ExitCode.Should().Be(ExitCodes.Ok, run.Error);
        run.Lines.Should().NotBeEmpty();
        foreach (var line in run.Lines)
        {
            line.ValueKind.Should().Be(JsonValueKind.Object);
            Fields(line).Should().Contain(["bench", "device"]);
        }
        run.Error.Should().Contain("bench: ssd-prefill: start", "progress goes to stderr");
    }

    [Fact]
    public void Every_bench_kind_is_reported_after_the_environment_line()
    {
        run.Lines[0].GetProperty("bench").GetString().Should().Be("env");
        run.Lines[0].GetProperty("quick").GetBoolean().Should().BeTrue();
        run.Lines.Select(l => l.GetProperty("bench").GetString()).Distinct()
            .Should().BeEquivalentTo("env", "ssd-prefill", "ssd-stages", "decode", "startup", "tuning-quality");
        run.Lines.Should().NotContain(l => Fields(l).Contains("error"));
    }

    [Fact]
    public void Every_number_is_finite()
    {
        foreach (var line in run.Lines)
        {
            foreach (var field in line.EnumerateObject())
            {
                field.Value.ValueKind.Should().NotBe(JsonValueKind.Null, $"{field.Name} of {line}");
                if (field.Value.ValueKind == JsonValueKind.Number)
                    double.IsFinite(field.Value.GetDouble()).Should().BeTrue($"{field.Name} of {line}");
            }
        }
    }

    [Fact]
    public void Ssd_prefill_reports_each_dtype_checked_against_the_reference_within_tolerance()
    {
        var lines = run.Of("ssd-prefill");
        lines.Select(l => l.GetProperty("dtype").GetString()).Should().BeEquivalentTo("f16", "f32");
        foreach (var line in lines)
        {
            Fields(line).Should().Contain(KernelTiming).And.Contain(
                "H", "P", "G", "N", "L", "timer", "tolerance", "checked_at_L", "default_config", "default_median_us", "io_bytes", "flops");
            line.GetProperty("timer").GetString().Should().Be("wall", "the CPU accelerator has no CUDA events");
            line.GetProperty("checked_at_L").GetInt32().Should().Be(64);
            var tolerance = line.GetProperty("dtype").GetString() == "f32" ? 1e-3 : 2e-2;
            line.GetProperty("tolerance").GetDouble().Should().Be(tolerance);
            line.GetProperty("max_rel_err").GetDouble().Should().BeLessThanOrEqualTo(tolerance);
            line.GetProperty("default_max_rel_err").GetDouble().Should().BeLessThanOrEqualTo(tolerance);
            line.GetProperty("median_us").GetDouble().Should().BeGreaterThan(0);
            line.GetProperty("p10_us").GetDouble().Should().BeLessThanOrEqualTo(line.GetProperty("p90_us").GetDouble());
            line.TryGetProperty("refused", out _).Should().BeFalse();
        }
    }

    [Fact]
    public void Ssd_stages_reports_every_stage_of_every_fitting_candidate_with_the_tuned_and_default_marked()
    {
        var lines = run.Of("ssd-stages");
        string[] stems = ["setup", "cumsum", "chunk_state", "state_passing", "bmm", "chunk_scan"];
        foreach (var dtype in new[] { "f16", "f32" })
        {
            var ofDtype = lines.Where(l => l.GetProperty("dtype").GetString() == dtype).ToArray();
            ofDtype.Should().HaveCount(4, "the quick set has one length and the CPU accelerator fits all 4 candidates");
            ofDtype.Select(l => l.GetProperty("config").GetString()).Should().OnlyHaveUniqueItems();
            ofDtype.Count(l => l.GetProperty("tuned").GetBoolean()).Should().Be(1);
            ofDtype.Count(l => l.GetProperty("default").GetBoolean()).Should().Be(1);
            ofDtype[0].GetProperty("tuned").GetBoolean().Should().BeTrue("the tuned config is profiled first");
            var prefill = run.Of("ssd-prefill").Single(l => l.GetProperty("dtype").GetString() == dtype);
            ofDtype[0].GetProperty("config").GetString().Should().Be(prefill.GetProperty("config").GetString());
        }
        foreach (var line in lines)
        {
            line.GetProperty("L").GetInt32().Should().Be(64);
            line.GetProperty("timer").GetString().Should().Be("wall");
            line.GetProperty("stages").GetString().Should().Be(string.Join(",", stems));
            Fields(line).Should().Contain(["median_us", "p10_us", "p90_us", "runs", "config", "H", "P", "G", "N"]);
            var shares = 0.0;
            foreach (var stem in stems)
            {
                line.GetProperty(stem + "_median_us").GetDouble().Should().BeGreaterThanOrEqualTo(0);
                line.GetProperty(stem + "_p10_us").GetDouble().Should().BeLessThanOrEqualTo(line.GetProperty(stem + "_p90_us").GetDouble());
                shares += line.GetProperty(stem + "_share").GetDouble();
            }
            shares.Should().BeApproximately(1, 1e-4, "the shares are written rounded");
            line.GetProperty("median_us").GetDouble().Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void Decode_reports_each_batch_with_bandwidth_and_reference_error()
    {
        var lines = run.Of("decode");
        lines.Select(l => l.GetProperty("batch").GetInt32()).Should().Equal(1, 4);
        foreach (var line in lines)
        {
            Fields(line).Should().Contain(KernelTiming).And.Contain("batch", "bytes", "best_config", "best_median_us", "candidates");
            line.GetProperty("max_rel_err").GetDouble().Should().BeLessThanOrEqualTo(1e-3);
            line.GetProperty("gbps").GetDouble().Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void Startup_compares_warmup_with_tuning_and_with_the_table_it_built()
    {
        var line = run.Of("startup").Should().ContainSingle().Subject;
        Fields(line).Should().Contain(
            "model", "load_ms", "warmup_tuning_ms", "warmup_table_ms", "warmup_speedup", "first_request_ms",
            "steady_median_ms", "first_over_steady", "first_repeat_ms", "first_over_repeat", "table_entries",
            "post_warmup_compiles_or_tunes");
        line.GetProperty("first_over_repeat").GetDouble().Should().BeApproximately(
            line.GetProperty("first_request_ms").GetDouble() / line.GetProperty("first_repeat_ms").GetDouble(), 1e-3);
        line.GetProperty("model").GetString().Should().Be("builtin:tiny");
        line.GetProperty("warmup_tuning_tunes").GetInt32().Should().BeGreaterThan(0);
        line.GetProperty("table_entries").GetInt32().Should().Be(line.GetProperty("warmup_tuning_tunes").GetInt32());
        line.GetProperty("table_rejected").GetInt32().Should().Be(0);
        line.GetProperty("warmup_table_tunes").GetInt32().Should().Be(0, "every key comes from the table");
        line.GetProperty("first_request_device_allocations").GetInt64().Should().Be(0, "warmup sized every pooled buffer");
        line.GetProperty("warmup_table_compiles").GetInt32().Should().BeLessThan(line.GetProperty("warmup_tuning_compiles").GetInt32());
        line.GetProperty("post_warmup_compiles_or_tunes").GetInt32().Should().Be(0);
        line.GetProperty("requests").GetInt32().Should().Be(5, "the quick set serves five requests");
    }

    [Fact]
    public void Tuning_quality_covers_every_model_key_and_every_ssd_key()
    {
        var lines = run.Of("tuning-quality");
        var model = lines.Where(l => l.GetProperty("source").GetString() == "model").ToArray();
        model.Select(l => l.GetProperty("kernel").GetString()).Should().Contain(["ssd.prefill", "linear.gemm"]);
        model.Should().HaveCount(5, "the tiny model's plan tunes 2 SSD keys (with and without initial states) and 3 GEMM keys");
        lines.Count(l => l.GetProperty("source").GetString() == "ssd-prefill").Should().Be(2);
        foreach (var line in lines)
        {
            Fields(line).Should().Contain("kernel", "key", "config", "chosen_us", "best_config", "best_us", "ratio", "candidates", "sweep_runs");
            line.GetProperty("ratio").GetDouble().Should().BeGreaterThanOrEqualTo(1);
            line.GetProperty("candidates").GetInt32().Should().BeGreaterThan(1);
        }
    }

    [Fact]
    public void The_out_file_holds_the_same_lines_and_no_partial_file_is_left()
    {
        File.ReadAllText(run.OutFile).Should().Be(run.Output.ReplaceLineEndings("\n"));
        File.Exists(run.OutFile + ".partial").Should().BeFalse();
    }

    private static IEnumerable<string> Fields(JsonElement line) => line.EnumerateObject().Select(p => p.Name);
}
