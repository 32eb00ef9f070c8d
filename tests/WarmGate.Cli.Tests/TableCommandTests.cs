using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli.Tests;

public sealed class TableCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("warmgate-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly DeviceSignature Gpu = new("Cuda", "NVIDIA H200", "SM_90", 132, "13.0");
    private static readonly DeviceSignature Cpu = new("CPU", "CPUAccelerator", "cpu", 1, "");

    private string Write(string name, DeviceSignature device, params (string Key, string Config, double Ms)[] entries)
    {
        var builder = new TuningTableBuilder(device);
        foreach (var (key, config, ms) in entries)
            builder.Add("ssd.prefill", "hash1", key, config, ms, [new CandidateTiming(config, ms)]);
        var path = Path.Combine(dir, name);
        TuningTableWriter.WriteFile(builder.Build(DateTimeOffset.UnixEpoch), path);
        return path;
    }

    [Fact]
    public void Show_prints_the_device_and_each_entry()
    {
        var path = Write("a.json", Gpu, ("H=8", "Q=64", 1.5));
        var (code, output, _) = CliRunner.Run("table", "show", path);
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("NVIDIA H200").And.Contain("ssd.prefill").And.Contain("Q=64");
    }

    [Fact]
    public void Diff_exits_1_and_names_the_changed_entry_when_tables_differ()
    {
        var a = Write("a.json", Gpu, ("H=8", "Q=64", 1.5));
        var b = Write("b.json", Gpu, ("H=8", "Q=128", 1.2));
        var (code, output, _) = CliRunner.Run("table", "diff", a, b);
        code.Should().Be(1);
        output.Should().Contain("H=8").And.Contain("Q=64").And.Contain("Q=128");
        CliRunner.Run("table", "diff", a, a).ExitCode.Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public void Merge_of_two_devices_writes_one_table_per_device()
    {
        var a = Write("a.json", Gpu, ("H=8", "Q=64", 1.5));
        var b = Write("b.json", Cpu, ("H=8", "Q=16", 9));
        var outDir = Path.Combine(dir, "merged");
        var (code, output, _) = CliRunner.Run("table", "merge", a, b, "--out-dir", outDir);
        code.Should().Be(ExitCodes.Ok, output);
        Directory.GetFiles(outDir).Select(Path.GetFileName).Should().BeEquivalentTo(
            "WarmGate.Tuning.NVIDIA-H200.json", "WarmGate.Tuning.CPUAccelerator.json");
    }

    [Fact]
    public void Merge_refuses_a_conflict_unless_told_which_wins()
    {
        var a = Write("a.json", Gpu, ("H=8", "Q=64", 1.5));
        var b = Write("b.json", Gpu, ("H=8", "Q=128", 1.2));
        var outFile = Path.Combine(dir, "m.json");
        var refused = CliRunner.Run("table", "merge", a, b, "--out", outFile);
        refused.ExitCode.Should().Be(ExitCodes.BadInput);
        refused.Error.Should().Contain("H=8");
        File.Exists(outFile).Should().BeFalse();

        CliRunner.Run("table", "merge", a, b, "--out", outFile, "--prefer", "Faster").ExitCode.Should().Be(ExitCodes.Ok);
        TuningTableReader.ReadFile(outFile).Entries.Should().ContainSingle().Which.Config.Should().Be("Q=128");
    }

    [Fact]
    public void A_corrupt_table_is_a_clear_input_error_naming_the_file()
    {
        var path = Path.Combine(dir, "bad.json");
        File.WriteAllText(path, "{ \"schemaVersion\": 1, ");
        var (code, _, error) = CliRunner.Run("table", "show", path);
        code.Should().Be(ExitCodes.BadInput);
        error.Should().Contain(path);
    }

    [Fact]
    public void Unknown_commands_and_options_are_usage_errors()
    {
        CliRunner.Run("frobnicate").ExitCode.Should().Be(ExitCodes.BadInput);
        CliRunner.Run("table", "show").ExitCode.Should().Be(ExitCodes.BadInput);
    }

    [Fact]
    public void Devices_lists_the_cpu_accelerator()
    {
        var (code, output, _) = CliRunner.Run("devices");
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("CPU");
    }
}
