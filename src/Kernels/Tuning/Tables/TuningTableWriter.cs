using System.Text.Json;
using WarmGate.Kernels.IO;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Writes tuning tables as indented camelCase JSON, entries sorted by kernel then key, with
/// <c>\n</c> line ends and a final newline: the same table always gives the same bytes, so
/// tables diff cleanly in git.
/// </summary>
public static class TuningTableWriter
{
    /// <summary>The table as UTF-8 JSON bytes.</summary>
    public static byte[] ToUtf8Bytes(TuningTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var buffer = new MemoryStream();
        Write(table, buffer);
        return buffer.ToArray();
    }

    /// <summary>The table as JSON text.</summary>
    public static string ToJson(TuningTable table) => System.Text.Encoding.UTF8.GetString(ToUtf8Bytes(table));

    /// <summary>Writes the table as UTF-8 JSON to a stream (which is not disposed).</summary>
    public static void Write(TuningTable table, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, ToDto(table), TuningTableJson.Options);
        stream.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Writes the table to a file atomically (a temporary file in the same directory, then a
    /// move over the target), creating the directory if needed. Leaves the file alone when it
    /// already holds exactly these bytes.
    /// </summary>
    /// <returns>Whether the file was written; false when its content was already the same.</returns>
    /// <exception cref="TuningTableException">The file could not be written (code <see cref="TuningTableError.IoFailed"/>); the old file, if any, is unchanged.</exception>
    public static bool WriteFile(TuningTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var bytes = ToUtf8Bytes(table);
        try
        {
            if (File.Exists(full) && new FileInfo(full).Length == bytes.Length && File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes))
                return false;
            AtomicFile.Write(full, stream => stream.Write(bytes));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TuningTableException(full, TuningTableError.IoFailed,
                $"could not write the file ({e.Message}); the previous file, if any, is unchanged", e);
        }
    }

    private static TuningTableJson.Table ToDto(TuningTable table) => new()
    {
        SchemaVersion = TuningVersions.CurrentSchema,
        Device = new TuningTableJson.Device
        {
            Backend = table.Device.Backend,
            Name = table.Device.Name,
            Architecture = table.Device.Architecture,
            Multiprocessors = table.Device.Multiprocessors,
            Driver = table.Device.Driver,
        },
        IlgpuVersion = table.IlgpuVersion,
        WarmGateVersion = table.WarmGateVersion,
        CreatedUtc = table.CreatedUtc,
        Entries = [.. table.Entries.Select(e => new TuningTableJson.Entry
        {
            Kernel = e.Kernel,
            KernelHash = e.KernelHash,
            Key = e.Key,
            Config = e.Config,
            Milliseconds = e.Milliseconds,
            Candidates = e.Candidates.Count == 0 ? null : [.. e.Candidates.Select(c => new TuningTableJson.Candidate
            {
                Config = c.Config,
                Milliseconds = double.IsNaN(c.Milliseconds) ? null : c.Milliseconds,
                Note = c.Note.Length == 0 ? null : c.Note,
            })],
        })],
    };
}
