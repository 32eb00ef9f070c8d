namespace WarmGate.Cli.Tests.Bench;

/// <summary>Bad bench arguments are refused before any device is opened or anything is written.</summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("--only", "ssd-prefill,nope", "'nope'")]
    [InlineData("--runs", "0", "--runs")]
    [InlineData("--out", "/no/such/folder/bench.jsonl", "does not exist")]
    [InlineData("--model", "/no/such/model", "checkpoint folder")]
    public void A_bad_argument_exits_2_with_a_message_and_no_output(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("bench", "--device", "cpu", option, value);
        code.Should().Be(ExitCodes.BadInput);
        output.Should().BeEmpty();
        error.Should().Contain(message);
    }
}
