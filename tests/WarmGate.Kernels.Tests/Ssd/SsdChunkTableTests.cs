using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

public sealed class SsdChunkTableTests
{
    [Fact]
    public void Chunks_restart_at_each_sequence_and_never_straddle_two()
    {
        var table = SsdChunkTable.Build([0, 5, 6, 15], chunkSize: 4);
        table.Count.Should().Be(6);
        table.Starts.Should().Equal(0, 4, 5, 6, 10, 14);
        table.Lengths.Should().Equal(4, 1, 1, 4, 4, 1);
        table.SequenceOf.Should().Equal(0, 0, 1, 2, 2, 2);
        table.FirstChunks.Should().Equal(0, 2, 3, 6);
        table.LastChunkOf(0).Should().Be(1);
        table.LastChunkOf(2).Should().Be(5);
        Enumerable.Range(0, 6).Select(table.IsFirstOfSequence).Should().Equal(true, false, true, true, false, false);
        table.Tokens.Should().Be(15);
        table.Sequences.Should().Be(3);
    }

    [Theory]
    [InlineData(new[] { 0 }, "nseq + 1 >= 2")]
    [InlineData(new[] { 1, 4 }, "start at 0")]
    [InlineData(new[] { 0, 3, 3 }, "strictly increase")]
    [InlineData(new[] { 0, 5, 2 }, "strictly increase")]
    public void Malformed_cu_seqlens_are_rejected(int[] cuSeqlens, string message)
    {
        var act = () => SsdChunkTable.Build(cuSeqlens, 4);
        act.Should().Throw<ArgumentException>().WithMessage($"*{message}*").Which.ParamName.Should().Be("cuSeqlens");
    }
}
