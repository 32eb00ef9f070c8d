using System.Text.Json;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Reads tuning tables. Anything wrong with one, from a missing file to a duplicate entry, is a
/// <see cref="TuningTableException"/> naming the source and what is wrong.
/// </summary>
public static class TuningTableReader
{
    /// <summary>Reads a table from a file; its <see cref="TuningTable.Source"/> is the full path.</summary>
    /// <exception cref="TuningTableException">The file is missing, unreadable or not a valid table.</exception>
    public static TuningTable ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TuningTableException(full, TuningTableError.FileNotFound, "the file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TuningTableException(full, TuningTableError.IoFailed, $"could not read the file: {e.Message}", e);
        }
        return Parse(bytes, full);
    }

    /// <summary>Reads a table from a stream (to its end).</summary>
    /// <param name="stream">The stream; it is not disposed.</param>
    /// <param name="source">What the stream is, for messages and <see cref="TuningTable.Source"/> (a path, or a resource and its assembly).</param>
    /// <exception cref="TuningTableException">The stream cannot be read or is not a valid table.</exception>
    public static TuningTable Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        using var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new TuningTableException(source, TuningTableError.IoFailed, $"could not read the stream: {e.Message}", e);
        }
        return Parse(buffer.ToArray(), source);
    }

    /// <summary>Reads a table from UTF-8 JSON text.</summary>
    /// <param name="utf8Json">The content (a UTF-8 byte order mark is allowed).</param>
    /// <param name="source">What the content is, for messages and <see cref="TuningTable.Source"/>.</param>
    /// <exception cref="TuningTableException">The content is not a valid table.</exception>
    public static TuningTable Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            utf8Json = utf8Json[3..];
        if (utf8Json.Trim((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']).IsEmpty)
            throw new TuningTableException(source, TuningTableError.InvalidJson, "not valid JSON: the content is empty (was the file cut off?)");

        var bytes = utf8Json.ToArray();
        using (var document = ParseDocument(bytes, source))
        {
            if (TuningTableShape.Check(document.RootElement) is { } shapeProblem)
                throw new TuningTableException(source, shapeProblem.Code, shapeProblem.Message);
        }

        TuningTableJson.Table dto;
        try
        {
            dto = JsonSerializer.Deserialize<TuningTableJson.Table>(bytes, TuningTableJson.Options)!;
        }
        catch (JsonException e)
        {
            throw new TuningTableException(source, TuningTableError.WrongType, WrongType(e), e);
        }
        return ToModel(dto, source);
    }

    private static JsonDocument ParseDocument(byte[] bytes, string source)
    {
        try
        {
            return JsonDocument.Parse(bytes, TuningTableJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is null
                ? e.Path is null or "$" ? string.Empty : $" in '{e.Path}'"
                : $" at {Where(e)}";
            throw new TuningTableException(source, TuningTableError.InvalidJson, $"not valid JSON{where}: {ReaderMessage(e)}", e);
        }
    }

    private static TuningTable ToModel(TuningTableJson.Table dto, string source)
    {
        // TuningTableShape has checked that every required field is present and not null.
        var d = dto.Device!;
        var device = new DeviceSignature(d.Backend!, d.Name!, d.Architecture!, d.Multiprocessors!.Value, d.Driver ?? string.Empty);
        var entries = new List<TuningEntry?>(dto.Entries!.Count);
        foreach (var e in dto.Entries!)
        {
            entries.Add(e is null ? null : new TuningEntry(
                e.Kernel!,
                e.KernelHash!,
                e.Key!,
                e.Config!,
                e.Milliseconds!.Value,
                e.Candidates?.Select(c => c is null
                    ? null!
                    : new CandidateTiming(c.Config!, c.Milliseconds ?? double.NaN, c.Note ?? string.Empty))));
        }

        var problem = TuningTableRules.HeaderProblem(device, dto.IlgpuVersion!, dto.WarmGateVersion!, dto.SchemaVersion!.Value)
            ?? TuningTableRules.EntriesProblem(entries);
        if (problem is not null)
            throw new TuningTableException(source, problem.Value.Code, problem.Value.Message);

        return new TuningTable(device, dto.IlgpuVersion!, dto.WarmGateVersion!, dto.CreatedUtc!.Value,
            entries!, dto.SchemaVersion!.Value, source);
    }

    private static string Where(JsonException e) =>
        $"line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}";

    /// <summary>The reader's own words, without the path and position it appends.</summary>
    private static string ReaderMessage(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0 && (cut < 0 || path < cut)) cut = path;
        return (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '|', '.') + ".";
    }

    private static string WrongType(JsonException e)
    {
        var path = e.Path ?? "$";
        var field = path[(path.LastIndexOf('.') + 1)..];
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0) field = field[..bracket];
        var expected = field switch
        {
            "schemaVersion" or "multiprocessors" => "an integer",
            "milliseconds" => "a number",
            "createdUtc" => "an ISO 8601 UTC time string such as \"2025-01-31T12:00:00Z\"",
            "device" => "an object",
            "entries" when path.EndsWith(']') => "an object (one entry)",
            "candidates" when path.EndsWith(']') => "an object (one candidate)",
            "entries" or "candidates" => "an array",
            _ => "a string",
        };
        return $"'{path}' at {Where(e)} has the wrong type; expected {expected}";
    }
}
