using System.Text.Json;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Checks the shape of a parsed table before it is deserialized: that it is an object, its
/// schema version is one this code reads, every required field is present and no unknown field
/// is. Value types are checked by the serializer, values by <see cref="TuningTableRules"/>.
/// </summary>
internal static class TuningTableShape
{
    /// <param name="Required">Fields that must be present and not null.</param>
    /// <param name="Optional">Fields that may be absent.</param>
    /// <param name="Nullable">Required fields that may be null.</param>
    private sealed record Fields(string[] Required, string[] Optional, string[]? Nullable = null)
    {
        public bool Knows(string name) => Required.Contains(name) || Optional.Contains(name);

        public string Names => string.Join(", ", Required.Concat(Optional));
    }

    private static readonly Fields Root = new(
        ["schemaVersion", "device", "ilgpuVersion", "warmGateVersion", "createdUtc", "entries"], []);

    private static readonly Fields Device = new(["backend", "name", "architecture", "multiprocessors"], ["driver"]);

    private static readonly Fields Entry = new(["kernel", "kernelHash", "key", "config", "milliseconds"], ["candidates"]);

    private static readonly Fields Candidate = new(["config", "milliseconds"], ["note"], ["milliseconds"]);

    public static TuningTableRules.Problem? Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return new(TuningTableError.WrongType,
                $"the top level is {Describe(root.ValueKind)}, not an object; this is not a WarmGate tuning table");
        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind == JsonValueKind.Null)
            return new(TuningTableError.MissingField,
                "required field 'schemaVersion' is missing; this is not a WarmGate tuning table (or it was cut off)");
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var schema))
            return new(TuningTableError.WrongType, $"'schemaVersion' must be an integer, found {Describe(version.ValueKind)} {version.GetRawText()}");
        if (schema > TuningVersions.CurrentSchema)
            return new(TuningTableError.NewerSchema,
                $"schemaVersion {schema} was written by a newer WarmGate (this one reads up to {TuningVersions.CurrentSchema}); upgrade WarmGate or re-tune");
        if (schema < 1)
            return new(TuningTableError.InvalidValue, $"schemaVersion {schema} is not a valid version (the first is 1)");

        if (CheckObject(root, Root, "the table") is { } rootProblem) return rootProblem;
        if (root.GetProperty("device") is { ValueKind: JsonValueKind.Object } device
            && CheckObject(device, Device, "'device'") is { } deviceProblem)
            return deviceProblem;
        if (root.GetProperty("entries") is not { ValueKind: JsonValueKind.Array } entries) return null;

        var i = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object)
            {
                var label = $"entries[{i}]{Identify(entry)}";
                if (CheckObject(entry, Entry, label) is { } entryProblem) return entryProblem;
                if (entry.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
                {
                    var j = 0;
                    foreach (var candidate in candidates.EnumerateArray())
                    {
                        if (candidate.ValueKind == JsonValueKind.Object
                            && CheckObject(candidate, Candidate, $"{label} candidates[{j}]") is { } candidateProblem)
                            return candidateProblem;
                        j++;
                    }
                }
            }
            i++;
        }
        return null;
    }

    private static TuningTableRules.Problem? CheckObject(JsonElement obj, Fields fields, string label)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!fields.Knows(property.Name))
                return new(TuningTableError.UnknownField,
                    $"{label}: unknown field '{property.Name}' (schema {TuningVersions.CurrentSchema} knows: {fields.Names})");
        }
        foreach (var name in fields.Required)
        {
            var present = obj.TryGetProperty(name, out var value);
            if (!present || (value.ValueKind == JsonValueKind.Null && fields.Nullable?.Contains(name) != true))
                return new(TuningTableError.MissingField, $"{label}: required field '{name}' is missing");
        }
        return null;
    }

    /// <summary><c> (kernel [key])</c> when the entry has them as strings, so a message can name it.</summary>
    private static string Identify(JsonElement entry)
    {
        var kernel = entry.TryGetProperty("kernel", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var key = entry.TryGetProperty("key", out var y) && y.ValueKind == JsonValueKind.String ? y.GetString() : null;
        return kernel is null ? string.Empty : key is null ? $" ({kernel})" : $" ({kernel} [{key}])";
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
