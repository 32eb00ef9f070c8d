using System.Text;
using System.Text.Json;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Parses and validates a safetensors JSON header against the size of the data region that
/// follows it: known dtypes, non-negative shapes whose byte size matches the offsets, offsets
/// inside the data region, no two tensors sharing bytes, no duplicated names.
/// </summary>
internal sealed class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    private SafetensorsHeader(List<SafetensorsTensorInfo> tensors, Dictionary<string, SafetensorsTensorInfo> byName, Dictionary<string, string> metadata)
    {
        Tensors = tensors;
        ByName = byName;
        Metadata = metadata;
    }

    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, SafetensorsTensorInfo> ByName { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Parse(ReadOnlySpan<byte> header, long dataLength, string file)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(header);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException(file, null, $"the safetensors header is not valid UTF-8 (bad byte at header index {e.Index}); the file is corrupt or not a safetensors file.", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(file, null, $"the safetensors header is not valid JSON ({e.Message}); the file is corrupt or not a safetensors file.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(file, null, $"the safetensors header must be a JSON object, found {JsonFields.Describe(root)}.");

            var tensors = new List<SafetensorsTensorInfo>();
            var byName = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (sawMetadata)
                        throw new ModelFormatException(file, MetadataKey, "appears twice in the safetensors header.");
                    sawMetadata = true;
                    ReadMetadata(property.Value, metadata, file);
                    continue;
                }

                if (byName.ContainsKey(property.Name))
                    throw new ModelFormatException(file, property.Name, "the tensor name appears twice in the safetensors header.");
                var info = ReadTensor(property.Name, property.Value, dataLength, file);
                tensors.Add(info);
                byName.Add(info.Name, info);
            }

            CheckNoOverlap(tensors, file);
            return new SafetensorsHeader(tensors, byName, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string file)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new ModelFormatException(file, MetadataKey, $"must be an object of string values, found {JsonFields.Describe(value)}.");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new ModelFormatException(file, MetadataKey, $"entry \"{entry.Name}\" must be a string, found {JsonFields.Describe(entry.Value)}.");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string name, JsonElement value, long dataLength, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new ModelFormatException(file, name, $"the header entry must be an object with dtype, shape and data_offsets, found {JsonFields.Describe(value)}.");

        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw new ModelFormatException(file, name, "the header entry has no \"dtype\" string.");
        string dtypeName = dtypeValue.GetString()!;
        if (!SafetensorsDtypes.TryParse(dtypeName, out var dtype))
            throw new ModelFormatException(file, name, $"unknown or unsupported dtype \"{Shorten(dtypeName)}\"; known dtypes are {SafetensorsDtypes.KnownNames}.");

        if (!value.TryGetProperty("shape", out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
            throw new ModelFormatException(file, name, "the header entry has no \"shape\" array.");
        var shape = new long[shapeValue.GetArrayLength()];
        long elements = 1;
        int d = 0;
        foreach (var dim in shapeValue.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long size))
                throw new ModelFormatException(file, name, $"shape dimension {d} must be an integer, found {JsonFields.Describe(dim)}.");
            if (size < 0)
                throw new ModelFormatException(file, name, $"shape dimension {d} is negative ({size}).");
            shape[d++] = size;
            if (elements != 0 && size > long.MaxValue / elements)
                throw new ModelFormatException(file, name, $"shape {SafetensorsTensorInfo.FormatShape(shape[..d])}... has more elements than fit in 64 bits.");
            elements *= size;
        }

        if (elements > long.MaxValue / dtype.ElementSize())
            throw new ModelFormatException(file, name, $"shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtype.HeaderName()} needs more bytes than fit in 64 bits.");
        long bytes = elements * dtype.ElementSize();

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new ModelFormatException(file, name, "the header entry needs \"data_offsets\": [begin, end].");
        long begin = ReadOffset(offsets[0], name, "begin", file);
        long end = ReadOffset(offsets[1], name, "end", file);
        if (begin > end)
            throw new ModelFormatException(file, name, $"data_offsets [{begin}, {end}] begin after they end.");
        if (end > dataLength)
            throw new ModelFormatException(file, name, $"data_offsets [{begin}, {end}] reach past the end of the data region ({dataLength} bytes); the file is truncated or its header lies.");
        if (end - begin != bytes)
        {
            throw new ModelFormatException(file, name,
                $"shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtype.HeaderName()} needs {bytes} bytes but data_offsets [{begin}, {end}] hold {end - begin}.");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end, elements);
    }

    private static long ReadOffset(JsonElement value, string name, string which, string file)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long offset) || offset < 0)
            throw new ModelFormatException(file, name, $"data_offsets {which} must be a non-negative integer, found {JsonFields.Describe(value)}.");
        return offset;
    }

    private static void CheckNoOverlap(List<SafetensorsTensorInfo> tensors, string file)
    {
        var ranges = tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.DataBegin).ToList();
        for (int i = 1; i < ranges.Count; i++)
        {
            var previous = ranges[i - 1];
            var current = ranges[i];
            if (current.DataBegin < previous.DataEnd)
            {
                throw new ModelFormatException(file, current.Name,
                    $"data_offsets [{current.DataBegin}, {current.DataEnd}] overlap those of \"{previous.Name}\" [{previous.DataBegin}, {previous.DataEnd}]; each tensor must have its own bytes.");
            }
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? string.Concat(text.AsSpan(0, 37), "...") : text;
}
