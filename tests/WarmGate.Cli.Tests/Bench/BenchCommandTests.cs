namespace WarmGate.Cli.Tests.Bench;

/// <summary>Bad bench arguments are refused before any device is opened or anything is written.</summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("--only", "ssd-prefill,nope", "'nope'")]
    [InlineData("--runs", "0", "--runs")]
    [InlineData("--out", "/no/such/folder/bench.jsonl", "does not exist")]
    [InlineData("--model", "/no/such/model", "does not exist")]
    [InlineData("--model", "builtin:huge", "builtin:tiny")]
    public void A_bad_argument_exits_2_with_a_message_and_no_output(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("bench", "--device", "cpu", option, value);
        code.Should().Be(ExitCodes.BadInput);
        output.Should().BeEmpty();
        error.Should().Contain(message);
    }
}

/// <summary>How the command line becomes settings (no device, no run).</summary>
public sealed class BenchSettingsTests
{
    [Fact]
    public void A_checkpoint_folder_is_benchmarked_beside_the_tiny_model()
    {
        var folder = Directory.CreateTempSubdirectory("warmgate-bench-model-").FullName;
        try
        {
            var tiny = Kernels.Model.BuiltinModels.Load(Kernels.Model.BuiltinModels.Tiny);
            Kernels.Model.Mamba2CheckpointWriter.Save(folder, tiny.Config, tiny.Tensors, Kernels.Model.SafetensorsDtype.F32, overwrite: true);
            var settings = Cli.Bench.BenchSettings.Create(Kernels.Devices.DeviceKind.Cpu, "startup", quick: true, runs: null, outFile: null, model: folder);
            settings.Models.Should().Equal("builtin:tiny", folder);
            settings.Kinds.Should().Equal("startup");
            settings.Runs.Should().Be(3);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_full_set_has_the_model_sizes_and_at_least_50_runs()
    {
        var settings = Cli.Bench.BenchSettings.Create(Kernels.Devices.DeviceKind.Cuda, null, quick: false, runs: null, outFile: null, model: null);
        settings.Runs.Should().BeGreaterThanOrEqualTo(50);
        settings.SsdLengths.Should().Equal(512, 2048, 8192);
        settings.SsdCheckLength.Should().Be(2048);
        settings.SsdShapes.Select(s => s.ToString()).Should().Equal("H=80,P=64,G=1,N=128", "H=64,P=64,G=8,N=128");
        settings.DecodeBatches.Should().Equal(1, 16, 64, 256);
        settings.RequestLengths.Should().HaveCount(10);
        settings.Models.Should().Equal("builtin:tiny");
    }
}
