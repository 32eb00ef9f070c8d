using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;
using WarmGate.Kernels.IO;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableWriterTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_intact_and_no_temp_file()
    {
        var path = dir.File("table.json");
        TuningTableWriter.WriteFile(Table(), path);
        var before = File.ReadAllBytes(path);

        var act = () => AtomicFile.Write(path, stream =>
        {
            stream.Write("{ \"schemaVersion\": 1, \"dev"u8);
            throw new InvalidOperationException("injected serialization failure");
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("injected serialization failure");
        File.ReadAllBytes(path).Should().Equal(before);
        dir.Files().Should().Equal("table.json");
        TuningTableReader.ReadFile(path).Should().Be(Table());
    }

    [Fact]
    public void A_failed_first_write_leaves_no_file_at_all()
    {
        var path = dir.File("new.json");

        var act = () => AtomicFile.Write(path, _ => throw new IOException("disk full"));

        act.Should().Throw<IOException>();
        dir.Files().Should().BeEmpty();
    }

    [Fact]
    public void Writing_creates_the_directory_and_leaves_only_the_table()
    {
        var path = Path.Combine(dir.Path, "obj", "tuning", "WarmGate.Tuning.NVIDIA-H200.json");

        TuningTableWriter.WriteFile(Table(), path).Should().BeTrue();

        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle().Which.Should().Be(path);
    }

    [Fact]
    public void An_unwritable_target_is_a_TuningTableException_naming_the_path_and_keeps_the_old_file()
    {
        // The target is a directory: the final move fails after the temp file was written.
        var path = dir.File("table.json");
        Directory.CreateDirectory(path);

        var act = () => TuningTableWriter.WriteFile(Table(), path);

        var e = act.Should().Throw<TuningTableException>().Which;
        e.Code.Should().Be(TuningTableError.IoFailed);
        e.Source.Should().Be(path);
        e.Message.Should().Contain(path).And.Contain("unchanged");
        Directory.Exists(path).Should().BeTrue();
        dir.Files().Should().BeEmpty("the temporary file is removed");
    }
}
