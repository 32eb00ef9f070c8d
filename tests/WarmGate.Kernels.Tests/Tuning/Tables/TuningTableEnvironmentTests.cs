using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

/// <summary>Environment variables are process-wide: these tests run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment (not parallel)";
}

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class TuningTableEnvironmentTests : IDisposable
{
    private readonly string? saved = Environment.GetEnvironmentVariable(TuningTableSources.EnvironmentVariable);
    private readonly TempDirectory dir = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(TuningTableSources.EnvironmentVariable, saved);
        dir.Dispose();
    }

    [Fact]
    public void Unset_means_no_table_from_the_environment()
    {
        Environment.SetEnvironmentVariable(TuningTableSources.EnvironmentVariable, null);

        TuningTableSources.FromEnvironment().Should().BeNull();
        TuningTableSources.Load().Should().NotContain(t => t.Source!.Contains(TuningTableSources.EnvironmentVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void Set_reads_the_file_and_puts_it_first()
    {
        var path = dir.File("env.json");
        TuningTableWriter.WriteFile(Table(), path);
        Environment.SetEnvironmentVariable(TuningTableSources.EnvironmentVariable, path);

        var tables = TuningTableSources.Load();

        tables[0].Should().Be(Table());
        tables[0].Source.Should().Be($"{path} (WARMGATE_TUNING_TABLE)");
        tables.Should().Contain(t => t.Source!.Contains("WarmGate.Tuning.TablesTestDevice.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Set_to_a_missing_file_is_a_clear_error_naming_the_variable_and_path()
    {
        var path = dir.File("missing.json");
        Environment.SetEnvironmentVariable(TuningTableSources.EnvironmentVariable, path);

        var act = () => TuningTableSources.Load();

        var e = act.Should().Throw<TuningTableException>().Which;
        e.Code.Should().Be(TuningTableError.FileNotFound);
        e.Message.Should().Contain("WARMGATE_TUNING_TABLE is set to").And.Contain(path).And.Contain("unset it");
    }

    [Fact]
    public void Set_to_a_corrupt_file_names_the_file_and_the_variable()
    {
        var path = dir.File("corrupt.json");
        File.WriteAllText(path, "{\"schemaVersion\": 1, \"entries\": [");
        Environment.SetEnvironmentVariable(TuningTableSources.EnvironmentVariable, path);

        var act = () => TuningTableSources.FromEnvironment();

        act.Should().Throw<TuningTableException>().Which.Message
            .Should().StartWith($"Tuning table {path} (WARMGATE_TUNING_TABLE): not valid JSON");
    }
}
