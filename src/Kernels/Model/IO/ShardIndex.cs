using System.Text.Json;

namespace WarmGate.Kernels.Model;

/// <summary>
/// The <c>model.safetensors.index.json</c> of a sharded checkpoint:
/// <c>{"metadata": {...}, "weight_map": {"tensor": "model-00001-of-00002.safetensors"}}</c>.
/// </summary>
internal sealed class ShardIndex
{
    public const int MaxIndexBytes = 64 << 20;

    private ShardIndex(List<KeyValuePair<string, string>> entries) => Entries = entries;

    /// <summary>Tensor name to shard file name (a plain file name in the same folder), in index order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }

    public static ShardIndex Load(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxIndexBytes)
            throw new ModelFormatException(path, null, $"the shard index is {info.Length} bytes, more than the {MaxIndexBytes} allowed.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }

        if (bytes.Length > MaxIndexBytes)
            throw new ModelFormatException(path, null, $"the shard index is more than the {MaxIndexBytes} bytes allowed.");
        return Parse(Mamba2Config.DecodeUtf8(bytes, path), path);
    }

    public static ShardIndex Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(file, null, $"the shard index is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(file, null, $"the shard index must be a JSON object, found {JsonFields.Describe(root)}.");
            if (!root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(file, "weight_map", "the shard index has no \"weight_map\" object mapping tensor names to shard files.");

            var entries = new List<KeyValuePair<string, string>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (!seen.Add(entry.Name))
                    throw new ModelFormatException(file, entry.Name, "the tensor appears twice in weight_map.");
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new ModelFormatException(file, entry.Name, $"weight_map must give a shard file name, found {JsonFields.Describe(entry.Value)}.");
                string shard = entry.Value.GetString()!;
                if (!IsPlainFileName(shard))
                    throw new ModelFormatException(file, entry.Name, $"shard \"{shard}\" is not a plain file name in the checkpoint folder; shards must sit beside the index.");
                entries.Add(new(entry.Name, shard));
            }

            return new ShardIndex(entries);
        }
    }

    private static bool IsPlainFileName(string name) =>
        name.Length > 0
        && name is not ("." or "..")
        && name.IndexOfAny(['/', '\\', ':', '\0']) < 0
        && name == Path.GetFileName(name);
}
