using System.Reflection;
using System.Reflection.Emit;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableSourcesTests : IDisposable
{
    private const string EmbeddedName = "WarmGate.Tuning.TablesTestDevice.json";
    private static readonly Assembly TestAssembly = typeof(TuningTableSourcesTests).Assembly;
    private static readonly Assembly CoreLib = typeof(object).Assembly;
    private static readonly Assembly KernelsAssembly = typeof(TuningTable).Assembly;
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static string Json(TuningTable table) => TuningTableWriter.ToJson(table);

    [Fact]
    public void The_table_embedded_in_this_test_assembly_is_found_and_names_its_resource()
    {
        TestAssembly.GetManifestResourceNames().Should().Contain(EmbeddedName, "the test csproj embeds Tuning/Tables/Data/*.json as WarmGate.Tuning.*.json");

        var tables = TuningTableSources.FromResources([TestAssembly]);

        var table = tables.Should().ContainSingle().Which;
        table.Source.Should().Be($"resource '{EmbeddedName}' in assembly 'WarmGate.Kernels.Tests'");
        table.Device.Name.Should().Be("WarmGate tables test device");
        table.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Default_discovery_over_loaded_assemblies_finds_the_embedded_table()
    {
        TuningTableSources.LoadedAssemblies().Should().Contain(TestAssembly).And.OnlyContain(a => !a.IsDynamic);

        var tables = TuningTableSources.Load(TuningTableSources.LoadedAssemblies(), environment: _ => null);

        tables.Select(t => t.Source).Should().Contain($"resource '{EmbeddedName}' in assembly 'WarmGate.Kernels.Tests'");
    }

    [Fact]
    public void Only_resources_named_like_tables_are_read_in_assembly_then_name_order()
    {
        var opener = new FakeResourceOpener()
            .Add(KernelsAssembly, "WarmGate.Tuning.b.json", Json(Table(H100)))
            .Add(KernelsAssembly, "WarmGate.Tuning.a.json", Json(Table(H200)))
            .Add(KernelsAssembly, "WarmGate.Tuning.notes.txt", "not json")
            .Add(KernelsAssembly, "Other.Tuning.c.json", "not json")
            .Add(KernelsAssembly, "warmgate.tuning.d.json", "not json")
            .Add(CoreLib, "WarmGate.Tuning.z.json", Json(Table(Cpu)));

        var tables = TuningTableSources.FromResources([CoreLib, KernelsAssembly], opener);

        tables.Select(t => t.Device).Should().Equal(Cpu, H200, H100);
        tables[1].Source.Should().Be("resource 'WarmGate.Tuning.a.json' in assembly 'WarmGate.Kernels'");
        opener.Opened.Select(o => o.Name).Should().Equal("WarmGate.Tuning.z.json", "WarmGate.Tuning.a.json", "WarmGate.Tuning.b.json");
    }

    [Fact]
    public void No_table_anywhere_is_not_an_error()
    {
        TuningTableSources.Load([CoreLib], _ => null, new FakeResourceOpener()).Should().BeEmpty();
    }

    [Fact]
    public void A_corrupt_resource_names_the_resource_and_assembly()
    {
        var opener = new FakeResourceOpener()
            .Add(CoreLib, "WarmGate.Tuning.good.json", Json(Table()))
            .Add(KernelsAssembly, "WarmGate.Tuning.NVIDIA-H200.json", "{ \"schemaVersion\": 1, \"device\": ");

        var act = () => TuningTableSources.FromResources([CoreLib, KernelsAssembly], opener);

        var e = act.Should().Throw<TuningTableException>().Which;
        e.Code.Should().Be(TuningTableError.InvalidJson);
        e.Source.Should().Be("resource 'WarmGate.Tuning.NVIDIA-H200.json' in assembly 'WarmGate.Kernels'");
        e.Message.Should().StartWith("Tuning table resource 'WarmGate.Tuning.NVIDIA-H200.json' in assembly 'WarmGate.Kernels': not valid JSON");
    }

    [Fact]
    public void A_resource_that_cannot_be_opened_is_an_error()
    {
        var opener = new FakeResourceOpener().Add(CoreLib, "WarmGate.Tuning.x.json", null);

        var act = () => TuningTableSources.FromResources([CoreLib], opener);

        act.Should().Throw<TuningTableException>().Which.Code.Should().Be(TuningTableError.IoFailed);
    }

    [Fact]
    public void Dynamic_assemblies_are_skipped()
    {
        var dynamic = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("WarmGate.Tables.Dynamic"), AssemblyBuilderAccess.Run);

        TuningTableSources.FromResources([dynamic], new FakeResourceOpener()).Should().BeEmpty();
    }

    [Fact]
    public void The_environment_file_comes_first_and_wins_per_entry_when_matched()
    {
        var path = dir.File("override.json");
        TuningTableWriter.WriteFile(Table(entries: [Prefill(config: "BP=32,BN=64")]), path);
        var opener = new FakeResourceOpener().Add(KernelsAssembly, "WarmGate.Tuning.NVIDIA-H200.json", Json(Table()));

        var tables = TuningTableSources.Load([KernelsAssembly], name => name == TuningTableSources.EnvironmentVariable ? path : null, opener);

        tables.Select(t => t.Source).Should().Equal($"{path} (WARMGATE_TUNING_TABLE)", "resource 'WarmGate.Tuning.NVIDIA-H200.json' in assembly 'WarmGate.Kernels'");
        using var recorder = new EventRecorder();
        var result = new TableMatcher(H200, "1.5.3", Hashes, recorder.Runtime).Match(tables, KernelPhase.Loading);
        result.TryGetEntry("ssd.prefill", Prefill().Key, out var prefill).Should().BeTrue();
        prefill!.Config.Should().Be("BP=32,BN=64");
        result.TryGetEntry("ssd.decode", DecodeEntry().Key, out _).Should().BeTrue("entries only in the resource still apply");
        recorder.Events.Should().BeEmpty();
    }

    [Fact]
    public void Resource_names_follow_the_device_slug()
    {
        TuningTableSources.ResourceNameFor(H200).Should().Be("WarmGate.Tuning.NVIDIA-H200.json");
        TuningTableSources.IsTableResource("WarmGate.Tuning.NVIDIA-H200.json").Should().BeTrue();
        TuningTableSources.IsTableResource("WarmGate.Tuning..json").Should().BeFalse();
        TuningTableSources.IsTableResource("WarmGate.Tuning.x.json.bak").Should().BeFalse();
    }
}
