using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WarmGate.Cli.Bench;

/// <summary>
/// One result of <c>warmgate bench</c>: an ordered set of named fields written as one line of
/// JSON. Numbers that are not finite are written as <c>null</c> (JSON has no NaN).
/// </summary>
internal sealed class BenchLine
{
    // Lines are data files, never embedded in HTML: keep '+', 'µ' and quotes in keys readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<KeyValuePair<string, object?>> fields = [];

    /// <summary>Starts a line for a bench kind on a device.</summary>
    public BenchLine(string bench, string device)
    {
        Add("bench", bench);
        Add("device", device);
    }

    /// <summary>The bench kind (the <c>bench</c> field).</summary>
    public string Bench => (string)fields[0].Value!;

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Fields => fields;

    /// <summary>Adds (or replaces) a text field.</summary>
    public BenchLine Add(string name, string? value) => Set(name, value);

    /// <summary>Adds (or replaces) a number.</summary>
    public BenchLine Add(string name, double value) => Set(name, value);

    /// <summary>Adds (or replaces) an integer.</summary>
    public BenchLine Add(string name, long value) => Set(name, value);

    /// <summary>Adds (or replaces) a flag.</summary>
    public BenchLine Add(string name, bool value) => Set(name, value);

    /// <summary>The value of a field, or null when absent.</summary>
    public object? this[string name] => fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>The line as compact JSON (no newline).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null: writer.WriteNull(name); break;
                    case string s: writer.WriteString(name, s); break;
                    case bool b: writer.WriteBoolean(name, b); break;
                    case long l: writer.WriteNumber(name, l); break;
                    case double d when double.IsFinite(d): writer.WriteNumber(name, Round(d)); break;
                    case double: writer.WriteNull(name); break;
                    default: throw new InvalidOperationException($"Field '{name}' has unsupported type {value.GetType().Name}.");
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc/>
    public override string ToString() => ToJson();

    /// <summary>Six significant digits: enough for timings, short enough to read.</summary>
    internal static double Round(double value) =>
        double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private BenchLine Set(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var index = fields.FindIndex(f => f.Key == name);
        if (index >= 0) fields[index] = new(name, value);
        else fields.Add(new(name, value));
        return this;
    }
}
