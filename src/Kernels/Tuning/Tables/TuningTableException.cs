namespace WarmGate.Kernels.Tuning;

/// <summary>
/// A tuning table could not be read or written. The message starts with the source (a file
/// path, or a resource and its assembly) and says what is wrong and where.
/// </summary>
public sealed class TuningTableException : Exception
{
    /// <summary>Creates the exception; the message becomes <c>source: detail</c>.</summary>
    /// <param name="source">The file path or resource the table came from or was going to.</param>
    /// <param name="code">What is wrong.</param>
    /// <param name="detail">What is wrong, where, and what to do.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public TuningTableException(string source, TuningTableError code, string detail, Exception? inner = null)
        : base($"Tuning table {source}: {detail}", inner)
    {
        TableSource = source;
        Code = code;
        Detail = detail;
    }

    /// <summary>The file path or resource (with its assembly) the table came from or was going to.</summary>
    /// <remarks>Overrides <see cref="Exception.Source"/>, which would otherwise name the assembly that threw.</remarks>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string Source
    {
        get => TableSource;
        set => TableSource = value ?? TableSource;
    }

    private string TableSource { get; set; }

    /// <summary>What is wrong.</summary>
    public TuningTableError Code { get; }

    /// <summary>The message without the source prefix.</summary>
    public string Detail { get; }
}
