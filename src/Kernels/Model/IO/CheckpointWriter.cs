using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WarmGate.Kernels.IO;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Writes the weights of a checkpoint folder as <see cref="CheckpointReader"/> and transformers
/// read them: one <c>model.safetensors</c>, or shards <c>model-00001-of-0000N.safetensors</c>
/// plus <c>model.safetensors.index.json</c>. Each file is written atomically, shards before the
/// index; arguments are checked before anything is written.
/// </summary>
public static partial class CheckpointWriter
{
    /// <summary>Writes <paramref name="tensors"/> into <paramref name="folder"/> (created if missing).</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="tensors">The tensors (see <see cref="SafetensorsWriter.Write"/> for the rules).</param>
    /// <param name="maxShardBytes">Largest shard data size; 0 or less writes one file. A tensor
    /// larger than this gets a shard of its own.</param>
    /// <param name="overwrite">Replace weights already in the folder, removing files of the other
    /// layout (so a stale model.safetensors never shadows new shards). Without it, a folder that
    /// already holds weights is an error.</param>
    /// <returns>The files written (full paths).</returns>
    /// <exception cref="ArgumentException">Invalid tensors (nothing is written).</exception>
    /// <exception cref="IOException">The folder already holds weights and <paramref name="overwrite"/> is false.</exception>
    public static IReadOnlyList<string> Save(string folder, IEnumerable<SafetensorsTensor> tensors, long maxShardBytes = 0, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = SafetensorsWriter.Validate(tensors);
        var existing = ExistingWeightFiles(folder);
        if (existing.Count > 0 && !overwrite)
            throw new IOException($"{folder} already holds checkpoint weights ({string.Join(", ", existing.Select(Path.GetFileName))}); pass overwrite: true to replace them.");

        Directory.CreateDirectory(folder);
        var shards = Split(ordered, maxShardBytes);
        var written = new List<string>();
        if (shards.Count == 1)
        {
            string path = Path.GetFullPath(Path.Combine(folder, CheckpointReader.SingleFileName));
            SafetensorsWriter.Write(path, shards[0]);
            written.Add(path);
        }
        else
        {
            var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < shards.Count; i++)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
                string path = Path.GetFullPath(Path.Combine(folder, name));
                SafetensorsWriter.Write(path, shards[i]);
                written.Add(path);
                foreach (var tensor in shards[i])
                    weightMap[tensor.Name] = name;
            }

            string indexPath = Path.GetFullPath(Path.Combine(folder, CheckpointReader.IndexFileName));
            byte[] index = BuildIndex(weightMap, ordered.Sum(t => t.ByteLength));
            AtomicFile.Write(indexPath, stream => stream.Write(index));
            written.Add(indexPath);
        }

        foreach (string stale in existing.Select(Path.GetFullPath).Except(written, StringComparer.Ordinal))
            File.Delete(stale);
        return written;
    }

    /// <summary>Weight files (single, index, shards) already in <paramref name="folder"/>.</summary>
    internal static List<string> ExistingWeightFiles(string folder)
    {
        if (!Directory.Exists(folder))
            return [];
        return Directory.EnumerateFiles(folder)
            .Where(path => Path.GetFileName(path) is CheckpointReader.SingleFileName or CheckpointReader.IndexFileName
                || ShardName().IsMatch(Path.GetFileName(path)))
            .ToList();
    }

    private static List<List<SafetensorsTensor>> Split(List<SafetensorsTensor> ordered, long maxShardBytes)
    {
        var shards = new List<List<SafetensorsTensor>> { new() };
        long size = 0;
        foreach (var tensor in ordered)
        {
            if (maxShardBytes > 0 && shards[^1].Count > 0 && size + tensor.ByteLength > maxShardBytes)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(tensor);
            size += tensor.ByteLength;
        }

        return shards;
    }

    private static byte[] BuildIndex(SortedDictionary<string, string> weightMap, long totalSize)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteNumber("total_size", totalSize);
            writer.WriteEndObject();
            writer.WriteStartObject("weight_map");
            foreach (var (tensor, shard) in weightMap)
                writer.WriteString(tensor, shard);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.Write(Encoding.UTF8.GetBytes("\n"));
        return buffer.ToArray();
    }

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardName();
}
