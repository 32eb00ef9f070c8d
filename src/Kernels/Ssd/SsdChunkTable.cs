namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The chunks of a packed varlen batch (vLLM's scheme with no computed tokens): each sequence is
/// split into chunks of Q tokens from its own start, so a chunk never straddles two sequences.
/// Built on the host from <c>cuSeqlens</c>; the kernels and the reference read the same table.
/// </summary>
public sealed class SsdChunkTable
{
    private SsdChunkTable(int chunkSize, int tokens, int[] starts, int[] lengths, int[] sequences, int[] firstChunks)
    {
        ChunkSize = chunkSize;
        Tokens = tokens;
        StartArray = starts;
        LengthArray = lengths;
        SequenceArray = sequences;
        FirstChunkArray = firstChunks;
    }

    /// <summary>Q, the chunk size the table was built for.</summary>
    public int ChunkSize { get; }

    /// <summary>T, the total number of tokens.</summary>
    public int Tokens { get; }

    /// <summary>The number of chunks.</summary>
    public int Count => StartArray.Length;

    /// <summary>The number of sequences.</summary>
    public int Sequences => FirstChunkArray.Length - 1;

    /// <summary>The first token of each chunk.</summary>
    public IReadOnlyList<int> Starts => StartArray;

    /// <summary>The real length of each chunk, 1 to Q.</summary>
    public IReadOnlyList<int> Lengths => LengthArray;

    /// <summary>The sequence of each chunk.</summary>
    public IReadOnlyList<int> SequenceOf => SequenceArray;

    /// <summary>
    /// The first chunk of each sequence, plus the chunk count at the end (nseq + 1 entries): the
    /// chunks of sequence s are <c>FirstChunks[s] .. FirstChunks[s+1]-1</c>.
    /// </summary>
    public IReadOnlyList<int> FirstChunks => FirstChunkArray;

    internal int[] StartArray { get; }

    internal int[] LengthArray { get; }

    internal int[] SequenceArray { get; }

    internal int[] FirstChunkArray { get; }

    /// <summary>Whether chunk <paramref name="chunk"/> is the first of its sequence.</summary>
    public bool IsFirstOfSequence(int chunk) => FirstChunkArray[SequenceArray[chunk]] == chunk;

    /// <summary>The last chunk of sequence <paramref name="sequence"/>.</summary>
    public int LastChunkOf(int sequence) => FirstChunkArray[sequence + 1] - 1;

    /// <summary>Builds the table.</summary>
    /// <param name="cuSeqlens">Cumulative sequence lengths: nseq + 1 entries, 0 first, strictly increasing.</param>
    /// <param name="chunkSize">Q, a positive chunk size.</param>
    /// <exception cref="ArgumentException"><paramref name="cuSeqlens"/> is malformed (see <see cref="ValidateCuSeqlens"/>).</exception>
    public static SsdChunkTable Build(IReadOnlyList<int> cuSeqlens, int chunkSize)
    {
        ValidateCuSeqlens(cuSeqlens, nameof(cuSeqlens));
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var nseq = cuSeqlens.Count - 1;
        var count = 0;
        for (var s = 0; s < nseq; s++)
            count += (cuSeqlens[s + 1] - cuSeqlens[s] + chunkSize - 1) / chunkSize;
        var starts = new int[count];
        var lengths = new int[count];
        var sequences = new int[count];
        var firstChunks = new int[nseq + 1];
        var c = 0;
        for (var s = 0; s < nseq; s++)
        {
            firstChunks[s] = c;
            for (var t = cuSeqlens[s]; t < cuSeqlens[s + 1]; t += chunkSize, c++)
            {
                starts[c] = t;
                lengths[c] = Math.Min(chunkSize, cuSeqlens[s + 1] - t);
                sequences[c] = s;
            }
        }
        firstChunks[nseq] = c;
        return new SsdChunkTable(chunkSize, cuSeqlens[nseq], starts, lengths, sequences, firstChunks);
    }

    /// <summary>
    /// Throws unless <paramref name="cuSeqlens"/> has at least two entries, starts at 0 and
    /// strictly increases (every sequence has at least one token).
    /// </summary>
    /// <param name="cuSeqlens">The cumulative sequence lengths.</param>
    /// <param name="paramName">The argument name the exception carries.</param>
    /// <exception cref="ArgumentException">The array is null, too short, does not start at 0 or does not strictly increase.</exception>
    public static void ValidateCuSeqlens(IReadOnlyList<int>? cuSeqlens, string paramName)
    {
        if (cuSeqlens is null || cuSeqlens.Count < 2)
            throw new ArgumentException(
                $"cuSeqlens must hold nseq + 1 >= 2 cumulative lengths (0 first); got {(cuSeqlens is null ? "null" : $"{cuSeqlens.Count} entries")}.",
                paramName);
        if (cuSeqlens[0] != 0)
            throw new ArgumentException($"cuSeqlens must start at 0; got cuSeqlens[0]={cuSeqlens[0]}.", paramName);
        for (var s = 1; s < cuSeqlens.Count; s++)
        {
            if (cuSeqlens[s] <= cuSeqlens[s - 1])
                throw new ArgumentException(
                    $"cuSeqlens must strictly increase (every sequence has at least one token); " +
                    $"got cuSeqlens[{s - 1}]={cuSeqlens[s - 1]}, cuSeqlens[{s}]={cuSeqlens[s]} (sequence {s - 1} has length {cuSeqlens[s] - cuSeqlens[s - 1]}).",
                    paramName);
        }
    }
}
