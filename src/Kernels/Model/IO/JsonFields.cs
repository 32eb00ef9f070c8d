using System.Globalization;
using System.Text.Json;

namespace WarmGate.Kernels.Model;

/// <summary>Typed reads of JSON values that fail with a <see cref="ModelFormatException"/> naming the field.</summary>
internal readonly struct JsonFields(string file)
{
    public string File => file;

    public ModelFormatException Error(string? item, string detail) => new(file, item, detail);

    public int Int32(JsonElement value, string field)
    {
        long result = Int64(value, field);
        if (result is < int.MinValue or > int.MaxValue)
            throw Error(field, $"value {result} is out of the 32-bit integer range.");
        return (int)result;
    }

    public long Int64(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long result))
            throw Error(field, $"expected an integer, found {Describe(value)}.");
        return result;
    }

    public int? OptionalInt32(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Null ? null : Int32(value, field);

    public double Double(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetDouble(out double result) && double.IsFinite(result))
                return result;
            throw Error(field, $"value {value.GetRawText()} is out of the double range.");
        }

        if (value.ValueKind == JsonValueKind.String && PythonJsonLiterals.TryParseName(value.GetString(), out double named))
            return named;
        throw Error(field, $"expected a number, found {Describe(value)}.");
    }

    public bool Boolean(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(field, $"expected true or false, found {Describe(value)}."),
    };

    public string String(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw Error(field, $"expected a string, found {Describe(value)}.");
        return value.GetString()!;
    }

    public static string Describe(JsonElement value)
    {
        string raw = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
        return raw.Length > 80 ? string.Concat(raw.AsSpan(0, 77), "...") : raw;
    }

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
