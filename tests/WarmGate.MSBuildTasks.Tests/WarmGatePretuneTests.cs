using System.Diagnostics;
using Microsoft.Build.Framework;
using WarmGate.MSBuildTasks.Tests.Fakes;

namespace WarmGate.MSBuildTasks.Tests;

public sealed class WarmGatePretuneTests
{
    private readonly RecordingBuildEngine _engine = new();

    [Fact]
    public void Success_ReturnsTheWrittenTableAsAnEmbeddableItem()
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable("CPU"));
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeTrue(string.Join("\n", _engine.Diagnostics));

        task.Tuned.Should().BeTrue();
        var table = task.Tables.Should().ContainSingle().Subject;
        table.ItemSpec.Should().Be(Path.Combine(tuner.OutputDirectory, "WarmGate.Tuning.CPU.json"));
        table.GetMetadata("LogicalName").Should().Be("WarmGate.Tuning.CPU.json");
        table.GetMetadata("WithCulture").Should().Be("false");
        table.GetMetadata("Type").Should().Be("Non-Resx");
        table.GetMetadata("Source").Should().Be("tuned");
        _engine.Errors.Should().BeEmpty();
        _engine.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Success_ForwardsProgressLinesAsNormalImportanceMessages()
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable());
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeTrue();

        _engine.Messages.Should().Contain(m => m.Message == "tuning ssd.chunk_scan [H=4] 1/2" && m.Importance == MessageImportance.Normal);
        _engine.Messages.Should().Contain(m => m.Message!.StartsWith("wrote: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("CUDA", "cuda")]
    [InlineData("auto", "cuda")]
    [InlineData("", "cuda")]
    public void Device_MapsToTheTunerDeviceArgument(string device, string expectedArgument)
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable());
        var task = tuner.CreateTask(_engine);
        task.Device = device;

        task.Execute().Should().BeTrue();

        tuner.Calls.Should().Equal(expectedArgument);
    }

    [Theory]
    [InlineData(null, "full")]
    [InlineData("", "full")]
    [InlineData("Quick", "quick")]
    [InlineData("full", "full")]
    public void Tuning_IsPassedToTheTunerAsItsTuningArgument(string? tuning, string expectedArgument)
    {
        using var tuner = FakeTuner.Create($$"""
            echo "tuning-arg=$tuning"
            {{FakeTuner.WritesTable()}}
            """);
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";
        task.Tuning = tuning;

        task.Execute().Should().BeTrue(string.Join("\n", _engine.Diagnostics));

        _engine.Messages.Should().Contain(m => m.Message == "tuning-arg=" + expectedArgument);
        _engine.Messages.Should().Contain(m => m.Message!.Contains($"{expectedArgument} tuning", StringComparison.Ordinal));
    }

    [Fact]
    public void NoGpu_Warn_WarnsWithWG1002AndEmbedsNothing()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var task = tuner.CreateTask(_engine);
        task.Device = "cuda";
        task.WhenNoGpu = "warn";

        task.Execute().Should().BeTrue();

        var warning = _engine.Warnings.Should().ContainSingle().Subject;
        warning.Code.Should().Be("WG1002");
        warning.Message.Should().Contain("No GPU").And.Contain("tuned at warmup");
        task.Tables.Should().BeEmpty();
        task.Tuned.Should().BeFalse();
        _engine.Errors.Should().BeEmpty();
        tuner.Calls.Should().Equal("cuda");
    }

    [Fact]
    public void NoGpu_WarnWithTuningTable_EmbedsACopyOfTheCheckedInTableAndSaysSo()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var checkedIn = tuner.WriteFile("eng/tables/h200.json", """{"schemaVersion":1,"device":{"name":"NVIDIA H200"}}""");
        var task = tuner.CreateTask(_engine);
        task.TuningTable = checkedIn;

        task.Execute().Should().BeTrue();

        var table = task.Tables.Should().ContainSingle().Subject;
        table.GetMetadata("LogicalName").Should().Be("WarmGate.Tuning.h200.json");
        table.GetMetadata("Source").Should().Be("checked-in");
        table.ItemSpec.Should().Be(Path.Combine(tuner.OutputDirectory, "WarmGate.Tuning.h200.json"));
        File.ReadAllText(table.ItemSpec).Should().Be(File.ReadAllText(checkedIn));
        task.Tuned.Should().BeFalse("nothing was tuned, so the next build should try again");
        var warning = _engine.Warnings.Should().ContainSingle().Subject;
        warning.Code.Should().Be("WG1002");
        warning.Message.Should().Contain("embedding the checked-in table").And.Contain(checkedIn);
    }

    [Fact]
    public void NoGpu_Error_FailsWithWG1003()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var task = tuner.CreateTask(_engine);
        task.WhenNoGpu = "error";

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1003");
        error.Message.Should().Contain("WarmGateWhenNoGpu=warn").And.Contain("WarmGateWhenNoGpu=cpu");
        task.Tables.Should().BeEmpty();
    }

    [Fact]
    public void NoGpu_Cpu_RerunsOnTheCpuAndEmbedsThatTable()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var task = tuner.CreateTask(_engine);
        task.WhenNoGpu = "cpu";

        task.Execute().Should().BeTrue(string.Join("\n", _engine.Diagnostics));

        tuner.Calls.Should().Equal("cuda", "cpu");
        task.Tables.Should().ContainSingle().Which.GetMetadata("LogicalName").Should().Be("WarmGate.Tuning.CPU.json");
        task.Tuned.Should().BeTrue();
        _engine.Warnings.Should().BeEmpty();
        _engine.Messages.Should().Contain(m => m.Message!.Contains("tuning on the CPU instead", StringComparison.Ordinal));
    }

    [Fact]
    public void ExitCode3_WhenTheCpuWasAsked_IsACrash()
    {
        using var tuner = FakeTuner.Create("echo 'no CUDA device' >&2; exit 3");
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeFalse();

        _engine.Errors.Should().ContainSingle().Which.Code.Should().Be("WG1009");
    }

    [Fact]
    public void Crash_FailsWithWG1009_ExitCodeAndTheLastOutputLines()
    {
        using var tuner = FakeTuner.Create("""
            for i in $(seq 1 30); do echo "step $i"; done
            echo "Unhandled exception. System.InvalidOperationException: boom" >&2
            exit 134
            """);
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1009");
        error.Message.Should().Contain("exit code 134")
            .And.Contain("step 30")
            .And.Contain("System.InvalidOperationException: boom");
        error.Message.Should().NotMatchRegex(@"step (1|10)\b", "only the last 20 lines are quoted");
        task.Tables.Should().BeEmpty();
    }

    [Fact]
    public void RejectedInput_FailsWithWG1007QuotingTheTuner()
    {
        using var tuner = FakeTuner.Create("echo \"error: model folder '$model' has no config.json\" >&2; exit 2");
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1007");
        error.Message.Should().Contain("has no config.json").And.Contain("WarmGateModel");
    }

    [Fact]
    public void Timeout_StopsTheTunerAndFailsWithWG1008()
    {
        using var tuner = FakeTuner.Create("echo 'tuning ssd.chunk_scan 1/99'; sleep 60");
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";
        task.Timeout = 1000;
        var clock = Stopwatch.StartNew();

        task.Execute().Should().BeFalse();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1008");
        error.Message.Should().Contain("WarmGateTunerTimeout=1000").And.Contain("tuning ssd.chunk_scan 1/99");
        task.Tables.Should().BeEmpty();
    }

    [Theory]
    [InlineData("echo \"wrote: $out/WarmGate.Tuning.CPU.json\"", "does not exist")]
    [InlineData("mkdir -p \"$out\"; printf '{\"schemaVersion\":1,' > \"$out/WarmGate.Tuning.CPU.json\"; echo \"wrote: $out/WarmGate.Tuning.CPU.json\"", "is not valid JSON")]
    [InlineData("mkdir -p \"$out\"; printf '{\"entries\":[]}' > \"$out/WarmGate.Tuning.CPU.json\"; echo \"wrote: $out/WarmGate.Tuning.CPU.json\"", "schemaVersion")]
    [InlineData("mkdir -p \"$out\"; printf '{\"schemaVersion\":1}' > \"$out/table.json\"; echo \"wrote: $out/table.json\"", "is not named WarmGate.Tuning.<device>.json")]
    [InlineData("echo 'tuning done'", "reported no table")]
    public void BadTunerOutput_FailsWithWG1010AndEmbedsNothing(string body, string expectedProblem)
    {
        using var tuner = FakeTuner.Create(body);
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1010");
        error.Message.Should().Contain(expectedProblem);
        task.Tables.Should().BeEmpty();
        task.Tuned.Should().BeFalse();
    }

    [Fact]
    public void OneBadTableAmongGoodOnes_EmbedsNone()
    {
        using var tuner = FakeTuner.Create($$"""
            {{FakeTuner.WritesTable("CPU")}}
            echo "wrote: $out/WarmGate.Tuning.Missing.json"
            """);
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";

        task.Execute().Should().BeFalse();

        _engine.Errors.Should().ContainSingle().Which.Message.Should().Contain("WarmGate.Tuning.Missing.json");
        task.Tables.Should().BeEmpty();
    }

    [Theory]
    [InlineData("gpu", null, null, "WarmGateDevice", "auto, cuda, cpu")]
    [InlineData(null, "ignore", null, "WarmGateWhenNoGpu", "warn, error, cpu")]
    [InlineData(null, null, "fast", "WarmGateTuning", "full, quick")]
    public void InvalidPropertyValue_FailsWithWG1001NamingThePropertyAndAllowedValues_BeforeRunningTheTuner(
        string? device, string? whenNoGpu, string? tuning, string property, string allowed)
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable());
        var task = tuner.CreateTask(_engine);
        task.Device = device;
        task.WhenNoGpu = whenNoGpu;
        task.Tuning = tuning;

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1001");
        error.Message.Should().Contain(property).And.Contain(allowed);
        tuner.Calls.Should().BeEmpty();
    }

    [Theory]
    [InlineData("builtin:")]
    [InlineData("no/such/model/folder")]
    [InlineData("")]
    public void InvalidModel_FailsWithWG1001BeforeRunningTheTuner(string model)
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable());
        var task = tuner.CreateTask(_engine);
        task.Model = model;

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1001");
        error.Message.Should().Contain("WarmGateModel").And.Contain("builtin:tiny");
        tuner.Calls.Should().BeEmpty();
    }

    [Fact]
    public void ModelFolder_IsPassedAsAFullPath()
    {
        using var tuner = FakeTuner.Create($$"""
            echo "model=$model"
            {{FakeTuner.WritesTable()}}
            """);
        tuner.WriteFile("model/config.json", "{}");
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";
        task.Model = Path.Combine(tuner.Root, "model") + Path.DirectorySeparatorChar;

        task.Execute().Should().BeTrue();

        _engine.Messages.Should().Contain(m => m.Message == "model=" + Path.Combine(tuner.Root, "model"));
    }

    [Fact]
    public void MissingTuningTable_FailsWithWG1004BeforeRunningTheTuner()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var task = tuner.CreateTask(_engine);
        task.TuningTable = Path.Combine(tuner.Root, "eng", "missing.json");

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1004");
        error.Message.Should().Contain("missing.json").And.Contain("WarmGateTuningTable");
        tuner.Calls.Should().BeEmpty();
    }

    [Fact]
    public void CorruptTuningTable_FailsWithWG1005BeforeRunningTheTuner()
    {
        using var tuner = FakeTuner.Create(FakeTuner.NoGpu());
        var task = tuner.CreateTask(_engine);
        task.TuningTable = tuner.WriteFile("eng/broken.json", "{ not json");

        task.Execute().Should().BeFalse();

        _engine.Errors.Should().ContainSingle().Which.Code.Should().Be("WG1005");
        tuner.Calls.Should().BeEmpty();
    }

    [Fact]
    public void MissingTuner_FailsWithWG1006()
    {
        using var tuner = FakeTuner.Create(FakeTuner.WritesTable());
        var task = tuner.CreateTask(_engine);
        task.TunerPath = Path.Combine(tuner.Root, "tools", "tuner", "warmgate.dll");

        task.Execute().Should().BeFalse();

        var error = _engine.Errors.Should().ContainSingle().Subject;
        error.Code.Should().Be("WG1006");
        error.Message.Should().Contain("WarmGateTunerPath");
    }

    [Fact]
    public void TheTunerDoesNotSeeWarmGateTuningTableFromTheBuildEnvironment()
    {
        using var tuner = FakeTuner.Create($$"""
            echo "env-table=[${WARMGATE_TUNING_TABLE:-}]"
            {{FakeTuner.WritesTable()}}
            """);
        var task = tuner.CreateTask(_engine);
        task.Device = "cpu";
        task.EnvironmentVariables = ["WARMGATE_TUNING_TABLE=/somewhere/old.json"];

        task.Execute().Should().BeTrue();

        _engine.Messages.Should().Contain(m => m.Message == "env-table=[]");
    }
}
