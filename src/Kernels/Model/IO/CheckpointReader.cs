using System.Diagnostics.CodeAnalysis;

namespace WarmGate.Kernels.Model;

/// <summary>
/// The tensors of a Hugging Face checkpoint folder: either one <c>model.safetensors</c>
/// (preferred when present, as transformers does) or shards listed by
/// <c>model.safetensors.index.json</c>. Every file's header is read and validated at
/// <see cref="Open"/>, and every tensor the index lists is checked to be in its shard; data is
/// read on demand.
/// </summary>
public sealed class CheckpointReader : IDisposable
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsReader> readers;
    private readonly Dictionary<string, (SafetensorsReader Reader, SafetensorsTensorInfo Info)> tensors;
    private readonly List<string> names;

    private CheckpointReader(string folder, string source, bool sharded, List<SafetensorsReader> readers, Dictionary<string, (SafetensorsReader, SafetensorsTensorInfo)> tensors, List<string> names)
    {
        Folder = folder;
        SourceFile = source;
        IsSharded = sharded;
        this.readers = readers;
        this.tensors = tensors;
        this.names = names;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The file that lists the tensors: the single weights file, or the shard index.</summary>
    public string SourceFile { get; }

    /// <summary>Whether the weights are sharded (read through the index).</summary>
    public bool IsSharded { get; }

    /// <summary>Paths of the safetensors files opened.</summary>
    public IReadOnlyList<string> Files => readers.Select(r => r.Path).ToList();

    /// <summary>The tensor names: the file's in header order, or the index's in index order.</summary>
    public IReadOnlyList<string> TensorNames => names;

    /// <summary>Opens the checkpoint in <paramref name="folder"/> and validates every header.</summary>
    /// <exception cref="ModelFormatException">The folder or weights are missing, a file is malformed,
    /// a shard is missing, or a tensor the index lists is not in its shard.</exception>
    public static CheckpointReader Open(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new ModelFormatException(folder, null, "the checkpoint folder does not exist.");

        string single = Path.Combine(folder, SingleFileName);
        string index = Path.Combine(folder, IndexFileName);
        if (File.Exists(single))
            return OpenSingle(folder, single);
        if (File.Exists(index))
            return OpenSharded(folder, index);
        throw new ModelFormatException(folder, null,
            $"the folder holds neither {SingleFileName} nor {IndexFileName}; WarmGate reads safetensors checkpoints only (convert pytorch_model.bin with transformers' save_pretrained(safe_serialization=True)).");
    }

    /// <summary>Whether the checkpoint has a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>Looks up a tensor's header entry.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out SafetensorsTensorInfo? info)
    {
        bool found = tensors.TryGetValue(name, out var entry);
        info = entry.Info;
        return found;
    }

    /// <summary>A tensor's header entry.</summary>
    /// <exception cref="ModelFormatException">The checkpoint has no such tensor (names <see cref="SourceFile"/>).</exception>
    public SafetensorsTensorInfo GetTensor(string name) => Find(name).Info;

    /// <summary>The safetensors file that holds a tensor.</summary>
    /// <exception cref="ModelFormatException">The checkpoint has no such tensor.</exception>
    public string FileOf(string name) => Find(name).Reader.Path;

    /// <summary>Reads an F32, F16 or BF16 tensor as floats (see <see cref="SafetensorsReader.ReadFloat32(string)"/>).</summary>
    public float[] ReadFloat32(string name) => Find(name).Reader.ReadFloat32(name);

    /// <summary>Reads an F32, F16 or BF16 tensor into <paramref name="destination"/>.</summary>
    public void ReadFloat32(string name, Span<float> destination) => Find(name).Reader.ReadFloat32(name, destination);

    /// <summary>Reads a tensor's raw bytes.</summary>
    public byte[] ReadBytes(string name) => Find(name).Reader.ReadBytes(name);

    /// <summary>Closes every file.</summary>
    public void Dispose()
    {
        foreach (var reader in readers)
            reader.Dispose();
    }

    private (SafetensorsReader Reader, SafetensorsTensorInfo Info) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return tensors.TryGetValue(name, out var entry)
            ? entry
            : throw new ModelFormatException(SourceFile, name, "the checkpoint has no tensor of this name.");
    }

    private static CheckpointReader OpenSingle(string folder, string path)
    {
        var reader = SafetensorsReader.Open(path);
        var map = reader.Tensors.ToDictionary(t => t.Name, t => (reader, t), StringComparer.Ordinal);
        return new CheckpointReader(folder, path, false, [reader], map, reader.Tensors.Select(t => t.Name).ToList());
    }

    private static CheckpointReader OpenSharded(string folder, string indexPath)
    {
        var index = ShardIndex.Load(indexPath);
        var shards = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
        var readers = new List<SafetensorsReader>();
        try
        {
            var map = new Dictionary<string, (SafetensorsReader, SafetensorsTensorInfo)>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in index.Entries)
            {
                if (!shards.TryGetValue(shard, out var reader))
                {
                    string shardPath = Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw new ModelFormatException(indexPath, tensor, $"is mapped to shard \"{shard}\", which is not in {folder}; the download is incomplete.");
                    reader = SafetensorsReader.Open(shardPath);
                    readers.Add(reader);
                    shards.Add(shard, reader);
                }

                if (!reader.TryGetTensor(tensor, out var info))
                    throw new ModelFormatException(reader.Path, tensor, $"{IndexFileName} lists this tensor in shard \"{shard}\", but the shard has no such tensor.");
                map.Add(tensor, (reader, info));
            }

            return new CheckpointReader(folder, indexPath, true, readers, map, index.Entries.Select(e => e.Key).ToList());
        }
        catch
        {
            foreach (var reader in readers)
                reader.Dispose();
            throw;
        }
    }
}
