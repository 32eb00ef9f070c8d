namespace WarmGate.Cli.Bench;

/// <summary>
/// Where results go: one JSON line each to stdout and, with <c>--out FILE</c>, to
/// <c>FILE.partial</c> as they come (so a crash keeps what was measured), renamed to FILE
/// when the run completes. Counts refused results.
/// </summary>
internal sealed class BenchSink : IDisposable
{
    private readonly TextWriter output;
    private readonly string? outFile;
    private readonly StreamWriter? file;
    private readonly List<BenchLine> lines = [];

    /// <summary>Writes to <paramref name="output"/> and, when given, <paramref name="outFile"/>.</summary>
    public BenchSink(TextWriter output, string? outFile)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        this.outFile = outFile;
        if (outFile is not null)
            file = new StreamWriter(PartialPath(outFile), append: false) { AutoFlush = true };
    }

    /// <summary>Every line written so far.</summary>
    public IReadOnlyList<BenchLine> Lines => lines;

    /// <summary>How many results were refused (their output missed the tolerance).</summary>
    public int Refused { get; private set; }

    /// <summary>The file lines are written to while the run is going.</summary>
    public static string PartialPath(string outFile) => outFile + ".partial";

    /// <summary>Writes one line.</summary>
    public void Write(BenchLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var json = line.ToJson();
        output.WriteLine(json);
        output.Flush();
        file?.WriteLine(json);
        lines.Add(line);
    }

    /// <summary>Writes one refused result and counts it.</summary>
    public void WriteRefused(BenchLine line)
    {
        Refused++;
        Write(line);
    }

    /// <summary>Ends the run: moves the partial file to its name.</summary>
    public void Complete()
    {
        if (file is null || outFile is null) return;
        file.Dispose();
        File.Move(PartialPath(outFile), outFile, overwrite: true);
    }

    /// <inheritdoc/>
    public void Dispose() => file?.Dispose();
}
