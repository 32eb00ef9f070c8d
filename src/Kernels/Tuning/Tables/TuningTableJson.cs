using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// The JSON shape of a table (schema version 1) and the serializer settings. Every field is
/// nullable here: presence is checked by <see cref="TuningTableShape"/>, values by
/// <see cref="TuningTableRules"/>.
/// </summary>
internal static class TuningTableJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        NewLine = "\n",
        Converters = { new UtcConverter() },
    };

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    internal sealed class Table
    {
        public int? SchemaVersion { get; set; }
        public Device? Device { get; set; }
        public string? IlgpuVersion { get; set; }
        public string? WarmGateVersion { get; set; }
        public DateTimeOffset? CreatedUtc { get; set; }
        public List<Entry?>? Entries { get; set; }
    }

    internal sealed class Device
    {
        public string? Backend { get; set; }
        public string? Name { get; set; }
        public string? Architecture { get; set; }
        public int? Multiprocessors { get; set; }
        public string? Driver { get; set; }
    }

    internal sealed class Entry
    {
        public string? Kernel { get; set; }
        public string? KernelHash { get; set; }
        public string? Key { get; set; }
        public string? Config { get; set; }
        public double? Milliseconds { get; set; }
        public List<Candidate?>? Candidates { get; set; }
    }

    internal sealed class Candidate
    {
        public string? Config { get; set; }

        /// <summary>Null for a pruned or failed candidate, so written even when null.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public double? Milliseconds { get; set; }

        public string? Note { get; set; }
    }

    /// <summary>Writes instants as UTC (<c>2025-01-31T12:00:00Z</c>); reads any ISO 8601 offset.</summary>
    private sealed class UtcConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value)
                ? value.ToUniversalTime()
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
