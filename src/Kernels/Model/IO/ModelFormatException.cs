namespace WarmGate.Kernels.Model;

/// <summary>
/// Thrown when a model file (config.json, a safetensors file, a shard index) or a checkpoint
/// folder is malformed, truncated, inconsistent or describes something WarmGate does not support.
/// The message names the file, the field or tensor, what was found and what to do.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception for a problem in <paramref name="file"/>, at <paramref name="item"/>.</summary>
    /// <param name="file">The file (or folder) that holds the problem.</param>
    /// <param name="item">The field or tensor name, or null when the problem is the file as a whole.</param>
    /// <param name="detail">What is wrong and what to do; the file and item are prepended.</param>
    public ModelFormatException(string file, string? item, string detail)
        : this(file, item, detail, null)
    {
    }

    /// <summary>Creates the exception with the underlying cause.</summary>
    /// <param name="file">The file (or folder) that holds the problem.</param>
    /// <param name="item">The field or tensor name, or null when the problem is the file as a whole.</param>
    /// <param name="detail">What is wrong and what to do; the file and item are prepended.</param>
    /// <param name="innerException">The underlying cause, or null.</param>
    public ModelFormatException(string file, string? item, string detail, Exception? innerException)
        : base(Compose(file, item, detail), innerException)
    {
        File = file;
        Item = item;
        Detail = detail;
    }

    /// <summary>Creates the exception with a message only (no file or item).</summary>
    public ModelFormatException(string message)
        : base(message)
    {
        Detail = message;
    }

    /// <summary>Creates the exception with a message and the underlying cause (no file or item).</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ModelFormatException()
        : this("The model files are malformed.")
    {
    }

    /// <summary>The file (or checkpoint folder) that holds the problem; empty when unknown.</summary>
    public string File { get; } = string.Empty;

    /// <summary>The field (config) or tensor (safetensors) name; null when the file as a whole is wrong.</summary>
    public string? Item { get; }

    /// <summary>The message without the file and item prefix.</summary>
    public string Detail { get; }

    private static string Compose(string file, string? item, string detail) =>
        item is null ? $"{file}: {detail}" : $"{file}: '{item}': {detail}";
}
