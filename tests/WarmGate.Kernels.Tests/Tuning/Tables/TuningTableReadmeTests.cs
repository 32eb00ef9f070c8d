using System.Text;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableReadmeTests
{
    private static string ReadmeExample()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
            dir = dir.Parent;
        dir.Should().NotBeNull("the tests run inside the repository");
        var readme = File.ReadAllText(Path.Combine(dir!.FullName, "src", "Kernels", "Tuning", "Tables", "README.md"));
        var start = readme.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    [Fact]
    public void The_readme_example_is_a_valid_table_exactly_as_the_writer_writes_it()
    {
        var example = ReadmeExample();

        var table = TuningTableReader.Parse(Encoding.UTF8.GetBytes(example), "README.md");

        table.Entries.Should().ContainSingle().Which.RunnerUp!.Config.Should().Be("BP=32,BN=64");
        TuningTableWriter.ToJson(table).Should().Be(example);
    }
}
