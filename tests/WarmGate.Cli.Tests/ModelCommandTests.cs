using WarmGate.Kernels.Model;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Tests;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("warmgate-cli-model-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Check_after_warmup_reports_zero_post_load_work_and_exits_0()
    {
        var json = Path.Combine(dir, "check.json");
        var (code, output, error) = CliRunner.Run("check", "--device", "cpu", "--tuning", "quick", "--requests", "3", "--json", json);
        code.Should().Be(ExitCodes.Ok, output + error);
        output.Should().Contain("post-load tuning runs: 0").And.Contain("post-load compilations: 0")
            .And.Contain("first request:").And.Contain("steady median:");
        File.ReadAllText(json).Should().Contain("\"postLoadCompilations\": 0");
    }

    [Fact]
    public void Check_without_warmup_shows_tuning_on_the_first_request_and_exits_1()
    {
        var (code, output, _) = CliRunner.Run("check", "--device", "cpu", "--tuning", "quick", "--requests", "2", "--no-warmup");
        code.Should().Be(ExitCodes.PostLoadWork);
        output.Should().MatchRegex(@"post-load tuning runs: [1-9]").And.MatchRegex(@"post-load compilations: [1-9]");
        output.Should().Contain("after load: TuneStarted ssd.prefill");
    }

    [Fact]
    public void Tune_writes_a_table_with_every_planned_key_and_check_then_tunes_nothing()
    {
        var (code, output, _) = CliRunner.Run("tune", "--device", "cpu", "--tuning", "quick", "--out-dir", dir);
        code.Should().Be(ExitCodes.Ok, output);
        var path = Path.Combine(dir, "WarmGate.Tuning.CPUAccelerator.json");
        output.Should().Contain($"wrote: {path}");
        var table = TuningTableReader.ReadFile(path);
        var plan = WarmupPlan.For(BuiltinModels.TinyConfig, cuda: false);
        table.Entries.Select(e => (e.Kernel, e.Key)).Should().BeEquivalentTo(plan.TunedKeys);

        var check = CliRunner.Run("check", "--device", "cpu", "--table", path, "--requests", "2");
        check.ExitCode.Should().Be(ExitCodes.Ok, check.Output);
        check.Output.Should().Contain($"{plan.TunedKeys.Count} entries used, 0 rejected").And.Contain("(0 tuning runs");
    }

    [NoCudaFact]
    public void Tune_on_cuda_without_a_gpu_exits_3_and_writes_nothing()
    {
        var (code, _, error) = CliRunner.Run("tune", "--device", "cuda", "--out-dir", dir);
        code.Should().Be(ExitCodes.NoGpu);
        error.Should().Contain("No CUDA device");
        Directory.GetFiles(dir).Should().BeEmpty();
    }

    [Fact]
    public void Generate_prints_the_reference_greedy_tokens_and_writes_prompt_logits()
    {
        var logits = Path.Combine(dir, "logits.json");
        var (code, output, error) = CliRunner.Run("generate", "--device", "cpu", "--tuning", "quick", "--tokens", "5,6,7", "--max-new-tokens", "4", "--logits", logits);
        code.Should().Be(ExitCodes.Ok, error);
        var expected = new Mamba2Reference(BuiltinModels.Load(BuiltinModels.Tiny)).Generate([5, 6, 7], 4);
        output.TrimEnd().Split('\n')[^1].Should().Be(string.Join(",", expected));
        var rows = System.Text.Json.JsonSerializer.Deserialize<float[][]>(File.ReadAllText(logits))!;
        rows.Should().HaveCount(3).And.OnlyContain(r => r.Length == BuiltinModels.TinyConfig.VocabSize);
    }

    [Theory]
    [InlineData("--tokens", "1,x", "item 2")]
    [InlineData("--tokens", "1,96", "[0, 96)")]
    public void Generate_rejects_bad_tokens_with_exit_2(string option, string value, string message)
    {
        var (code, _, error) = CliRunner.Run("generate", "--device", "cpu", option, value);
        code.Should().Be(ExitCodes.BadInput);
        error.Should().Contain(message);
    }

    [Fact]
    public void A_malformed_model_folder_is_exit_2_naming_the_file()
    {
        File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"model_type\": \"mamba2\", \"hidden_size\": ");
        var (code, _, error) = CliRunner.Run("check", "--device", "cpu", "--model", dir);
        code.Should().Be(ExitCodes.BadInput);
        error.Should().Contain("config.json");
    }
}
