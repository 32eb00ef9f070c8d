using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using WarmGate.Kernels.IO;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Writes <c>.safetensors</c> files from float values, stored as F32, F16 (rounded to nearest
/// even through <see cref="Half"/>) or BF16 (rounded to nearest even). Tensors are laid out in
/// ordinal name order, back to back; the header is padded with spaces so the data starts at a
/// multiple of 8. The file is written to a temporary file and moved into place, so a reader never
/// sees half a file; all arguments are checked before anything is written.
/// </summary>
public static class SafetensorsWriter
{
    private const int ChunkValues = 1 << 14;

    /// <summary>The metadata transformers writes and expects: <c>{"format": "pt"}</c>.</summary>
    public static IReadOnlyDictionary<string, string> PyTorchMetadata { get; } =
        new Dictionary<string, string> { ["format"] = "pt" };

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors; names must be unique, non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">The <c>__metadata__</c> entries; <see cref="PyTorchMetadata"/> when null.</param>
    /// <exception cref="ArgumentException">A name, dtype or shape is invalid (nothing is written).</exception>
    public static void Write(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = Validate(tensors);
        byte[] header = BuildHeader(ordered, metadata ?? PyTorchMetadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var tensor in ordered)
                WriteData(stream, tensor);
        });
    }

    /// <summary>The size in bytes of the file <see cref="Write"/> would produce.</summary>
    public static long FileSize(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = Validate(tensors);
        return 8 + BuildHeader(ordered, metadata ?? PyTorchMetadata).Length + ordered.Sum(t => t.ByteLength);
    }

    internal static List<SafetensorsTensor> Validate(IEnumerable<SafetensorsTensor> tensors)
    {
        var list = new List<SafetensorsTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"Tensor name \"{tensor.Name}\" is not allowed.", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Tensor '{tensor.Name}' is given twice.", nameof(tensors));
            if (!tensor.Dtype.IsFloatConvertible())
                throw new ArgumentException($"Tensor '{tensor.Name}': dtype {tensor.Dtype.HeaderName()} cannot be written from floats; use F32, F16 or BF16.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor.Shape, nameof(tensors));
            long elements = 1;
            foreach (long dim in tensor.Shape)
            {
                if (dim < 0)
                    throw new ArgumentException($"Tensor '{tensor.Name}': shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)} has a negative dimension.", nameof(tensors));
                elements = dim == 0 ? 0 : elements > long.MaxValue / dim ? -1 : elements * dim;
                if (elements < 0)
                    break;
            }

            if (elements != tensor.Values.Length)
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}': shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)} needs {(elements < 0 ? "too many" : elements.ToString(System.Globalization.CultureInfo.InvariantCulture))} values but {tensor.Values.Length} were given.",
                    nameof(tensors));
            }

            list.Add(tensor);
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    private static byte[] BuildHeader(List<SafetensorsTensor> ordered, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var entry in metadata.OrderBy(e => e.Key, StringComparer.Ordinal))
                    writer.WriteString(entry.Key, entry.Value);
                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in ordered)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.Dtype.HeaderName());
                writer.WriteStartArray("shape");
                foreach (long dim in tensor.Shape)
                    writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int length = (int)buffer.Length;
        int padded = (length + 7) & ~7;
        for (int i = length; i < padded; i++)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void WriteData(Stream stream, SafetensorsTensor tensor)
    {
        int size = tensor.Dtype.ElementSize();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkValues * size);
        try
        {
            var values = tensor.Values.Span;
            for (int start = 0; start < values.Length; start += ChunkValues)
            {
                var part = values.Slice(start, Math.Min(ChunkValues, values.Length - start));
                var bytes = chunk.AsSpan(0, part.Length * size);
                Encode(part, tensor.Dtype, bytes);
                stream.Write(bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void Encode(ReadOnlySpan<float> values, SafetensorsDtype dtype, Span<byte> bytes)
    {
        for (int i = 0; i < values.Length; i++)
        {
            switch (dtype)
            {
                case SafetensorsDtype.F32:
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.Slice(4 * i, 4), values[i]);
                    break;
                case SafetensorsDtype.F16:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.Slice(2 * i, 2), FloatEncoding.ToHalfBits(values[i]));
                    break;
                default:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.Slice(2 * i, 2), FloatEncoding.ToBFloat16Bits(values[i]));
                    break;
            }
        }
    }
}
