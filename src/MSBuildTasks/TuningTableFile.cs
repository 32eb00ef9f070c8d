using System.Text.Json;

namespace WarmGate.MSBuildTasks;

/// <summary>
/// File-level rules for tuning tables: a quick validity check (JSON with a <c>schemaVersion</c>; the
/// runtime checks the rest), resource names (<c>WarmGate.Tuning.&lt;device&gt;.json</c>) and copying
/// without rewriting unchanged files.
/// </summary>
internal static class TuningTableFile
{
    /// <summary>The start of every table's file and resource name.</summary>
    public const string NamePrefix = "WarmGate.Tuning.";

    /// <summary>The end of every table's file and resource name.</summary>
    public const string NameSuffix = ".json";

    /// <summary>Checks that <paramref name="path"/> exists and holds a JSON object with a numeric <c>schemaVersion</c>.</summary>
    /// <param name="path">The file to check.</param>
    /// <param name="problem">When invalid, what is wrong, phrased to follow the file name in a sentence.</param>
    /// <returns>True when the file looks like a table.</returns>
    public static bool TryValidate(string path, out string problem)
    {
        if (!File.Exists(path))
        {
            problem = "does not exist";
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"is JSON but its root is {document.RootElement.ValueKind}, not an object";
                return false;
            }

            if (!document.RootElement.TryGetProperty("schemaVersion", out var version)
                || version.ValueKind != JsonValueKind.Number)
            {
                problem = "is JSON but has no numeric 'schemaVersion' field, so it is not a WarmGate tuning table";
                return false;
            }
        }
        catch (JsonException e)
        {
            problem = $"is not valid JSON ({e.Message})";
            return false;
        }
        catch (IOException e)
        {
            problem = $"cannot be read ({e.Message})";
            return false;
        }
        catch (UnauthorizedAccessException e)
        {
            problem = $"cannot be read ({e.Message})";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>True when <paramref name="fileName"/> is <c>WarmGate.Tuning.&lt;something&gt;.json</c>.</summary>
    public static bool IsTableName(string fileName) =>
        fileName.Length > NamePrefix.Length + NameSuffix.Length
        && fileName.StartsWith(NamePrefix, StringComparison.Ordinal)
        && fileName.EndsWith(NameSuffix, StringComparison.Ordinal);

    /// <summary>
    /// The tuner's slug rule (WarmGate.Kernels' <c>DeviceSignature.Slug</c>): every character that is not an ASCII
    /// letter or digit becomes '-', runs of '-' become one, and '-' at either end is dropped; <c>table</c> if nothing is left.
    /// </summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            var next = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (next != '-' || (slug.Length > 0 && slug[^1] != '-'))
            {
                slug.Append(next);
            }
        }

        var text = slug.ToString().TrimEnd('-');
        return text.Length == 0 ? "table" : text;
    }

    /// <summary>
    /// The resource name a file is embedded under: its own name when that is already a table name,
    /// else <c>WarmGate.Tuning.&lt;slug of its name&gt;.json</c>.
    /// </summary>
    public static string ResourceNameFor(string path)
    {
        var fileName = Path.GetFileName(path);
        return IsTableName(fileName)
            ? fileName
            : NamePrefix + Slug(Path.GetFileNameWithoutExtension(path)) + NameSuffix;
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> unless the destination already
    /// has the same bytes; writes a temporary file and renames it, so a reader never sees half a table.
    /// </summary>
    /// <returns>True when the destination was (re)written.</returns>
    public static bool CopyIfDifferent(string source, string destination)
    {
        var bytes = File.ReadAllBytes(source);
        if (File.Exists(destination) && File.ReadAllBytes(destination).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = destination + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return true;
    }
}
