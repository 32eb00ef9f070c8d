namespace WarmGate.MSBuildTasks;

/// <summary>
/// What one tuner run printed: the tables it reported (<c>wrote: &lt;path&gt;</c> lines) and its last
/// lines, which go into error messages so a failed build shows why without digging in the log.
/// </summary>
internal sealed class TunerOutput
{
    /// <summary>The prefix of the stdout line by which the tuner reports a table it wrote.</summary>
    public const string WrotePrefix = "wrote:";

    /// <summary>How many of the last lines are kept for error messages.</summary>
    public const int TailLength = 20;

    private readonly Queue<string> _tail = new();
    private readonly List<string> _written = [];
    private readonly string _baseDirectory;

    /// <summary>Creates an empty record.</summary>
    /// <param name="baseDirectory">Resolves relative <c>wrote:</c> paths (the tuner's working directory).</param>
    public TunerOutput(string baseDirectory) => _baseDirectory = baseDirectory;

    /// <summary>Full paths from the <c>wrote:</c> lines, in the order they came, without duplicates.</summary>
    public IReadOnlyList<string> WrittenFiles => _written;

    /// <summary>The last <see cref="TailLength"/> lines (stdout and stderr as they arrived).</summary>
    public IReadOnlyCollection<string> Tail => _tail;

    /// <summary>Records one line of output.</summary>
    /// <returns>True when the line reported a written table.</returns>
    public bool Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _tail.Enqueue(line);
        while (_tail.Count > TailLength)
        {
            _tail.Dequeue();
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

    /// <summary>The tail as an indented block for an error message, or a note that there was no output.</summary>
    public string FormatTail()
    {
        if (_tail.Count == 0)
        {
            return " The tuner printed nothing.";
        }

        return $" Last {_tail.Count} line(s) of its output:{Environment.NewLine}    "
            + string.Join(Environment.NewLine + "    ", _tail);
    }
}
