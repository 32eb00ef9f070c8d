using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Harness.Tests;

/// <summary>What a Mamba2Target resolves and loads, without a warmup (each load takes well under a second).</summary>
public sealed class Mamba2TargetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("warmgate-target-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_model_comes_from_the_options_then_WARMGATE_MODEL_then_the_tiny_builtin()
    {
        var env = Env(("WARMGATE_MODEL", "checkpoints/from-env"));

        var fromOptions = new Mamba2Target(new Mamba2TargetOptions { Model = BuiltinModels.Tiny, Environment = env });
        fromOptions.Model.Should().Be(BuiltinModels.Tiny);
        fromOptions.ModelOrigin.Should().Be("options");
        fromOptions.Name.Should().Be(BuiltinModels.Tiny);

        var fromEnvironment = new Mamba2Target(new Mamba2TargetOptions { Environment = env });
        fromEnvironment.Model.Should().Be(Path.GetFullPath("checkpoints/from-env"), "a relative folder is resolved when the target is created");
        fromEnvironment.ModelOrigin.Should().Be("WARMGATE_MODEL");

        var byDefault = new Mamba2Target(new Mamba2TargetOptions { Environment = Env(("WARMGATE_MODEL", "  ")) });
        byDefault.Model.Should().Be(BuiltinModels.Tiny);
        byDefault.ModelOrigin.Should().Be("default");

        new Mamba2Target("/models/mamba2").Model.Should().Be(Path.GetFullPath("/models/mamba2"));
    }

    [Fact]
    public void Device_and_tune_mode_come_from_the_options_then_the_environment()
    {
        var env = Env(("WARMGATE_DEVICE", "CPU"), ("WARMGATE_TUNE", "Full"));
        var fromEnvironment = new Mamba2Target(new Mamba2TargetOptions { Environment = env });
        fromEnvironment.Device.Should().Be(DeviceKind.Cpu);
        fromEnvironment.Tune.Should().Be(TuneMode.Full);

        var fromOptions = new Mamba2Target(new Mamba2TargetOptions { Environment = env, Device = DeviceKind.Auto, Tune = TuneMode.Quick });
        fromOptions.Device.Should().Be(DeviceKind.Auto);
        fromOptions.Tune.Should().Be(TuneMode.Quick);

        var byDefault = new Mamba2Target(new Mamba2TargetOptions { Environment = Env() });
        byDefault.Device.Should().Be(DeviceKind.Auto);
        byDefault.Tune.Should().BeNull("the default depends on the device, known only after load");
    }

    [Theory]
    [InlineData("WARMGATE_TUNE", "sometimes", "WARMGATE_TUNE is 'sometimes', which is not a tune mode: use quick or full")]
    [InlineData("WARMGATE_DEVICE", "tpu", "WARMGATE_DEVICE is 'tpu', which is not a device: use auto, cuda or cpu")]
    public void An_invalid_environment_value_is_an_error_before_anything_loads(string name, string value, string message)
    {
        var act = () => new Mamba2Target(new Mamba2TargetOptions { Environment = Env((name, value)) });
        act.Should().Throw<WarmGateConfigurationException>().WithMessage(message + "*");
    }

    [Fact]
    public void An_empty_model_in_the_options_is_an_error()
    {
        var act = () => new Mamba2Target(" ");
        act.Should().Throw<WarmGateConfigurationException>().WithMessage("*model named in options is empty*");
    }

    [Fact]
    public async Task Quick_tuning_is_the_default_on_the_cpu_accelerator_and_full_uses_the_tuner_defaults()
    {
        await using (var quick = new Mamba2Target(new Mamba2TargetOptions { Device = DeviceKind.Cpu, Environment = Env(), TableAssemblies = [] }))
        {
            await quick.LoadAsync();
            quick.Tune.Should().Be(TuneMode.Quick);
            quick.Runtime.Tuner.Options.Should().Be(Mamba2Target.QuickTuner);
            quick.Runtime.Phase.Should().Be(Kernels.Runtime.KernelPhase.Loading);
        }

        await using var full = new Mamba2Target(new Mamba2TargetOptions { Device = DeviceKind.Cpu, Environment = Env(("WARMGATE_TUNE", "full")), TableAssemblies = [] });
        await full.LoadAsync();
        full.Runtime.Tuner.Options.Should().Be(TunerOptions.Cpu);
        full.TuningTables.Should().BeEmpty("there is no table and nothing was tuned yet");
    }

    [Fact]
    public async Task Tables_from_WARMGATE_TUNING_TABLE_and_embedded_resources_are_applied_and_reported_with_their_sources()
    {
        var path = Path.Combine(folder, "cpu-table.json");
        TuningTableWriter.WriteFile(TestTables.ForThisCpu(), path);
        await using var target = new Mamba2Target(new Mamba2TargetOptions
        {
            Device = DeviceKind.Cpu,
            Environment = Env(("WARMGATE_TUNING_TABLE", path)),
            TableAssemblies = [typeof(Mamba2TargetTests).Assembly],
        });

        await target.LoadAsync();

        target.TableMatch!.Used.Keys.Select(k => k.Kernel).Should().Equal(KernelCatalog.SsdPrefill, KernelCatalog.SsdPrefill);
        target.TuningTables.Should().HaveCount(2);
        var file = target.TuningTables[0];
        file.Source.Should().Be($"{path} (WARMGATE_TUNING_TABLE)");
        file.Origin.Should().Be("WARMGATE_TUNING_TABLE");
        file.Description.Should().StartWith($"{target.Runtime.Device.Signature}; 2 of 2 entries used;").And.Contain("ILGPU 1.5.3");
        var embedded = target.TuningTables[1];
        embedded.Source.Should().Be("resource 'WarmGate.Tuning.harness-tests-h200.json' in assembly 'WarmGate.Harness.Tests'");
        embedded.Origin.Should().Be("embedded");
        embedded.Description.Should().StartWith("Cuda NVIDIA H200 (SM_90, 132 MPs, driver 12.4); 0 of 1 entries used, rejected: 1 device;");
    }

    [Fact]
    public async Task A_corrupt_table_fails_the_load_naming_it_before_the_device_opens()
    {
        var path = Path.Combine(folder, "corrupt.json");
        await File.WriteAllTextAsync(path, "{ \"schemaVersion\": 1, ");
        await using var target = new Mamba2Target(new Mamba2TargetOptions
        {
            Device = DeviceKind.Cpu, Environment = Env(("WARMGATE_TUNING_TABLE", path)), TableAssemblies = [],
        });

        var act = () => target.LoadAsync();

        (await act.Should().ThrowAsync<TuningTableException>()).Which.Message.Should().Contain(path);
        var runtime = () => target.Runtime;
        runtime.Should().Throw<InvalidOperationException>().WithMessage("*is not loaded*");
    }

    [Fact]
    public async Task A_bad_model_folder_fails_the_load_with_a_ModelFormatException_naming_the_file()
    {
        var model = TestTables.BrokenCheckpoint(folder);
        await using var target = new Mamba2Target(new Mamba2TargetOptions { Model = model, Environment = Env(), TableAssemblies = [] });

        var act = () => target.LoadAsync();

        var error = (await act.Should().ThrowAsync<ModelFormatException>()).Which;
        error.File.Should().Be(Path.Combine(model, "config.json"));
        error.Message.Should().StartWith(Path.Combine(model, "config.json"));
    }
}
