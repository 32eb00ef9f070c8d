using System.Text;
using WarmGate.Kernels.Tuning;
using static WarmGate.Kernels.Tests.Tuning.Tables.TableSamples;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

public sealed class TuningTableReaderTests : IDisposable
{
    private const string Source = "tables/corrupt.json";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static TuningTableException ReadFails(string json)
    {
        var act = () => TuningTableReader.Parse(Encoding.UTF8.GetBytes(json), Source);
        var e = act.Should().Throw<TuningTableException>().Which;
        e.Source.Should().Be(Source);
        e.Message.Should().StartWith($"Tuning table {Source}: ");
        return e;
    }

    private static string Mutate(string find, string replace)
    {
        ValidJson.Should().Contain(find, "the mutation must apply");
        var index = ValidJson.IndexOf(find, StringComparison.Ordinal);
        return ValidJson[..index] + replace + ValidJson[(index + find.Length)..];
    }

    [Fact]
    public void The_valid_sample_reads()
    {
        TuningTableReader.Parse(Encoding.UTF8.GetBytes(ValidJson), Source).Entries.Should().ContainSingle();
    }

    [Fact]
    public void Truncated_json_names_the_source_line_and_position()
    {
        var e = ReadFails(ValidJson[..(ValidJson.Length / 2)]);

        e.Code.Should().Be(TuningTableError.InvalidJson);
        e.Message.Should().MatchRegex(@"not valid JSON at line \d+, position \d+: ");
    }

    [Fact]
    public void A_syntax_error_gives_its_line()
    {
        var e = ReadFails(Mutate("\"ilgpuVersion\": \"1.5.3\",", "\"ilgpuVersion\" \"1.5.3\","));

        e.Code.Should().Be(TuningTableError.InvalidJson);
        var line = ValidJson.Split('\n').ToList().FindIndex(l => l.Contains("ilgpuVersion", StringComparison.Ordinal)) + 1;
        e.Message.Should().Contain($"line {line},");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void An_empty_file_says_so(string content)
    {
        var e = ReadFails(content);

        e.Code.Should().Be(TuningTableError.InvalidJson);
        e.Message.Should().Contain("empty");
    }

    [Theory]
    [InlineData("\"milliseconds\": 0.125,", "\"milliseconds\": \"fast\",", "$.entries[0].milliseconds", "a number")]
    [InlineData("\"multiprocessors\": 132", "\"multiprocessors\": 13.5", "$.device.multiprocessors", "an integer")]
    [InlineData("\"kernel\": \"ssd.prefill\"", "\"kernel\": 7", "$.entries[0].kernel", "a string")]
    [InlineData("\"createdUtc\": \"2025-01-31T12:00:00Z\"", "\"createdUtc\": \"yesterday\"", "$.createdUtc", "an ISO 8601")]
    public void A_value_of_the_wrong_type_names_its_path_and_line(string find, string replace, string path, string expected)
    {
        var e = ReadFails(Mutate(find, replace));

        e.Code.Should().Be(TuningTableError.WrongType);
        e.Message.Should().Contain($"'{path}' at line ").And.Contain($"expected {expected}");
    }

    [Fact]
    public void Json_that_is_not_an_object_is_not_a_table()
    {
        var e = ReadFails("[1, 2, 3]");

        e.Code.Should().Be(TuningTableError.WrongType);
        e.Message.Should().Contain("not an object").And.Contain("not a WarmGate tuning table");
    }

    [Fact]
    public void A_foreign_json_file_is_reported_as_not_a_tuning_table()
    {
        var e = ReadFails("""{ "name": "some-package", "version": "1.0.0" }""");

        e.Code.Should().Be(TuningTableError.MissingField);
        e.Message.Should().Contain("'schemaVersion' is missing").And.Contain("not a WarmGate tuning table");
    }

    [Theory]
    [InlineData("\"config\": \"BP=16,BN=64\",\n      \"milliseconds\": 0.125,", "\"milliseconds\": 0.125,", "entries[0] (ssd.prefill [P=64,N=128,Q=256,G=1,T=f16]): required field 'config' is missing")]
    [InlineData("\"ilgpuVersion\": \"1.5.3\",", "", "the table: required field 'ilgpuVersion' is missing")]
    [InlineData("\"architecture\": \"SM_90\",", "", "'device': required field 'architecture' is missing")]
    [InlineData("\"kernelHash\": \"hash-prefill\",", "\"kernelHash\": null,", "required field 'kernelHash' is missing")]
    [InlineData("{ \"config\": \"BP=16,BN=64\", \"milliseconds\": 0.125 }", "{ \"config\": \"BP=16,BN=64\" }", "candidates[0]: required field 'milliseconds' is missing")]
    public void A_missing_field_is_named_with_its_entry(string find, string replace, string message)
    {
        var e = ReadFails(Mutate(find, replace));

        e.Code.Should().Be(TuningTableError.MissingField);
        e.Message.Should().Contain(message);
    }

    [Fact]
    public void An_unknown_field_is_reported_with_the_known_ones()
    {
        var e = ReadFails(Mutate("\"milliseconds\": 0.125,", "\"milliseconds\": 0.125, \"confg\": \"x\","));

        e.Code.Should().Be(TuningTableError.UnknownField);
        e.Message.Should().Contain("unknown field 'confg'").And.Contain("kernelHash");
    }

    [Fact]
    public void A_newer_schema_asks_to_upgrade_or_retune_before_looking_at_anything_else()
    {
        var e = ReadFails(Mutate("\"schemaVersion\": 1,", "\"schemaVersion\": 2, \"shards\": [],"));

        e.Code.Should().Be(TuningTableError.NewerSchema);
        e.Message.Should().Contain("schemaVersion 2").And.Contain("newer WarmGate").And.Contain("upgrade WarmGate or re-tune");
    }

    [Fact]
    public void A_duplicate_entry_names_kernel_and_key()
    {
        var start = ValidJson.IndexOf("    {\n      \"kernel\"", StringComparison.Ordinal);
        var end = ValidJson.LastIndexOf("    }", StringComparison.Ordinal) + "    }".Length;
        start.Should().BePositive();
        var entry = ValidJson[start..end];
        var json = ValidJson[..end] + ",\n" + entry + ValidJson[end..];

        var e = ReadFails(json);

        e.Code.Should().Be(TuningTableError.DuplicateEntry);
        e.Message.Should().Contain("entries[0] and entries[1]").And.Contain("'ssd.prefill'").And.Contain("'P=64,N=128,Q=256,G=1,T=f16'");
    }

    [Theory]
    [InlineData("\"milliseconds\": 0.125,", "\"milliseconds\": NaN,", TuningTableError.InvalidJson)]
    [InlineData("\"milliseconds\": 0.125,", "\"milliseconds\": \"NaN\",", TuningTableError.WrongType)]
    [InlineData("\"milliseconds\": 0.125,", "\"milliseconds\": -1,", TuningTableError.InvalidTime)]
    [InlineData("\"milliseconds\": 0.125 }", "\"milliseconds\": -0.5 }", TuningTableError.InvalidTime)]
    public void NaN_or_negative_times_are_rejected(string find, string replace, TuningTableError code)
    {
        var e = ReadFails(Mutate(find, replace));

        e.Code.Should().Be(code);
        if (code == TuningTableError.InvalidTime)
            e.Message.Should().Contain("entries[0] (ssd.prefill [P=64,N=128,Q=256,G=1,T=f16])").And.Contain("'milliseconds' is -");
    }

    [Fact]
    public void An_empty_config_is_rejected()
    {
        var e = ReadFails(Mutate("\"config\": \"BP=16,BN=64\",\n", "\"config\": \"\",\n"));

        e.Code.Should().Be(TuningTableError.EmptyValue);
        e.Message.Should().Contain("'config' is empty");
    }

    [Fact]
    public void A_duplicate_property_is_invalid_json()
    {
        var e = ReadFails(Mutate("\"ilgpuVersion\": \"1.5.3\",", "\"ilgpuVersion\": \"1.5.3\", \"ilgpuVersion\": \"1.5.2\","));

        e.Code.Should().Be(TuningTableError.InvalidJson);
        e.Message.Should().Contain("ilgpuVersion");
    }

    [Fact]
    public void A_nonpositive_multiprocessor_count_is_rejected()
    {
        var e = ReadFails(Mutate("\"multiprocessors\": 132", "\"multiprocessors\": 0"));

        e.Code.Should().Be(TuningTableError.InvalidValue);
        e.Message.Should().Contain("multiprocessors");
    }

    [Fact]
    public void A_missing_file_names_the_full_path()
    {
        var path = dir.File("nope.json");

        var act = () => TuningTableReader.ReadFile(path);

        var e = act.Should().Throw<TuningTableException>().Which;
        e.Code.Should().Be(TuningTableError.FileNotFound);
        e.Source.Should().Be(path);
        e.Message.Should().Contain(path).And.Contain("does not exist");
    }

    [Fact]
    public void A_corrupt_file_names_the_file()
    {
        var path = dir.File("bad.json");
        File.WriteAllText(path, "{ \"schemaVersion\": 1, ");

        var act = () => TuningTableReader.ReadFile(path);

        act.Should().Throw<TuningTableException>().Which.Message.Should().StartWith($"Tuning table {path}: not valid JSON at line 1");
    }
}
