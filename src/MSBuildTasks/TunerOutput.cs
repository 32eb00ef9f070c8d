namespace WarmGate.MSBuildTasks;

/// <summary>
/// What one tuner run printed: the tables it reported (<c>wrote: &lt;path&gt;</c> lines) and its last
/// lines, which go into error messages so a failed build shows why without digging in the log.
/// </summary>
/// <remarks>
/// Stdout and stderr arrive on separate pipes, so their relative order is not exact; the last stderr lines are
/// kept apart as well, so the tuner's error message is quoted even after many progress lines.
/// </remarks>
internal sealed class TunerOutput
{
    /// <summary>The prefix of the stdout line by which the tuner reports a table it wrote.</summary>
    public const string WrotePrefix = "wrote:";

    /// <summary>How many of the last lines (and, apart, of the last stderr lines) are kept for error messages.</summary>
    public const int TailLength = 20;

    private readonly Queue<string> _tail = new();
    private readonly Queue<string> _errorTail = new();
    private readonly List<string> _written = [];
    private readonly string _baseDirectory;

    /// <summary>Creates an empty record.</summary>
    /// <param name="baseDirectory">Resolves relative <c>wrote:</c> paths (the tuner's working directory).</param>
    public TunerOutput(string baseDirectory) => _baseDirectory = baseDirectory;

    /// <summary>Full paths from the <c>wrote:</c> lines, in the order they came, without duplicates.</summary>
    public IReadOnlyList<string> WrittenFiles => _written;

    /// <summary>The last <see cref="TailLength"/> lines of stdout and stderr, as they were received.</summary>
    public IReadOnlyCollection<string> Tail => _tail;

    /// <summary>The last <see cref="TailLength"/> stderr lines.</summary>
    public IReadOnlyCollection<string> ErrorTail => _errorTail;

    /// <summary>Records one line of output.</summary>
    /// <param name="line">The line, without its line break.</param>
    /// <param name="fromStandardError">True for a stderr line; only stdout lines can report tables.</param>
    /// <returns>True when the line reported a written table.</returns>
    public bool Add(string line, bool fromStandardError = false)
    {
        ArgumentNullException.ThrowIfNull(line);
        Enqueue(_tail, line);
        if (fromStandardError)
        {
            Enqueue(_errorTail, line);
            return false;
        }

        var trimmed = line.Trim();
        if (!trimmed.StartsWith(WrotePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var path = trimmed[WrotePrefix.Length..].Trim();
        if (path.Length == 0)
        {
            return false;
        }

        var fullPath = Path.GetFullPath(path, _baseDirectory);
        if (!_written.Contains(fullPath, StringComparer.Ordinal))
        {
            _written.Add(fullPath);
        }

        return true;
    }

    /// <summary>
    /// The tail as an indented block for an error message, followed by any stderr lines the tail no longer
    /// holds; or a note that there was no output.
    /// </summary>
    public string FormatTail()
    {
        if (_tail.Count == 0)
        {
            return " The tuner printed nothing.";
        }

        var indent = Environment.NewLine + "    ";
        var text = $" Last {_tail.Count} line(s) of its output:{indent}" + string.Join(indent, _tail);
        var missingErrors = _errorTail.Where(line => !_tail.Contains(line)).ToList();
        if (missingErrors.Count > 0)
        {
            text += $"{Environment.NewLine}  Its error output (stderr) ended with:{indent}" + string.Join(indent, missingErrors);
        }

        return text;
    }

    private static void Enqueue(Queue<string> queue, string line)
    {
        queue.Enqueue(line);
        while (queue.Count > TailLength)
        {
            queue.Dequeue();
        }
    }
}
