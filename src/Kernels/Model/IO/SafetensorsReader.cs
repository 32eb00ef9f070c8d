using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Reads one <c>.safetensors</c> file: an 8-byte little-endian header length N, N bytes of JSON
/// header, then the tensor data. The header is read and fully validated at <see cref="Open"/>;
/// tensor data is read on demand with positional reads, so reads from several threads are safe.
/// F32, F16 and BF16 tensors can be read as <see cref="float"/>; any tensor can be read as bytes.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    /// <summary>The largest header accepted, in bytes (the limit of the reference implementation).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const int ChunkBytes = 1 << 16;

    private readonly SafeFileHandle handle;
    private readonly SafetensorsHeader header;

    private SafetensorsReader(string path, SafeFileHandle handle, long fileLength, long dataOffset, SafetensorsHeader header)
    {
        Path = path;
        this.handle = handle;
        FileLength = fileLength;
        DataOffset = dataOffset;
        this.header = header;
    }

    /// <summary>The file this reader reads.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes when it was opened.</summary>
    public long FileLength { get; }

    /// <summary>Where the data region starts in the file: 8 + header length.</summary>
    public long DataOffset { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => header.Tensors;

    /// <summary>The header's <c>__metadata__</c> entries (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => header.Metadata;

    /// <summary>Opens <paramref name="path"/> and reads and validates its header.</summary>
    /// <param name="path">The .safetensors file.</param>
    /// <exception cref="ModelFormatException">The header is truncated, too large, not UTF-8 JSON,
    /// or describes tensors the file cannot hold; names the file and the tensor.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length < 8)
                throw new ModelFormatException(path, null, $"the file has {length} bytes, fewer than the 8-byte header length that starts a safetensors file; it is truncated or not a safetensors file.");

            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, path, null);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > MaxHeaderBytes)
                throw new ModelFormatException(path, null, $"the header length {headerLength} is more than the {MaxHeaderBytes} bytes allowed; the file is corrupt or not a safetensors file.");
            if ((long)headerLength > length - 8)
                throw new ModelFormatException(path, null, $"the header length {headerLength} goes past the end of the file ({length} bytes); the file is truncated or not a safetensors file.");
            if (headerLength == 0)
                throw new ModelFormatException(path, null, "the header is empty; a safetensors header is a JSON object.");

            byte[] headerBytes = new byte[(int)headerLength];
            ReadExactly(handle, headerBytes, 8, path, null);
            long dataOffset = 8 + (long)headerLength;
            var parsed = SafetensorsHeader.Parse(headerBytes, length - dataOffset, path);
            return new SafetensorsReader(path, handle, length, dataOffset, parsed);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => header.ByName.ContainsKey(name);

    /// <summary>Looks up a tensor's header entry.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out SafetensorsTensorInfo? info) =>
        header.ByName.TryGetValue(name, out info);

    /// <summary>A tensor's header entry.</summary>
    /// <exception cref="ModelFormatException">The file holds no such tensor.</exception>
    public SafetensorsTensorInfo GetTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetTensor(name, out var info)
            ? info
            : throw new ModelFormatException(Path, name, "no tensor of this name is in the file.");
    }

    /// <summary>Reads an F32, F16 or BF16 tensor into a new float array, converting exactly.</summary>
    /// <exception cref="ModelFormatException">No such tensor, another dtype, or the file was truncated.</exception>
    public float[] ReadFloat32(string name)
    {
        var info = GetTensor(name);
        RequireFloat(info);
        if (info.ElementCount > Array.MaxLength)
            throw new ModelFormatException(Path, name, $"the tensor has {info.ElementCount} elements, more than one array can hold.");
        var values = new float[info.ElementCount];
        ReadFloat32(info, values);
        return values;
    }

    /// <summary>Reads an F32, F16 or BF16 tensor into <paramref name="destination"/>, whose length must be the element count.</summary>
    /// <exception cref="ModelFormatException">No such tensor, another dtype, or the file was truncated.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the element count.</exception>
    public void ReadFloat32(string name, Span<float> destination)
    {
        var info = GetTensor(name);
        RequireFloat(info);
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"The destination holds {destination.Length} floats but tensor '{name}' has {info.ElementCount}.", nameof(destination));
        ReadFloat32(info, destination);
    }

    /// <summary>Reads a tensor's raw little-endian bytes into a new array.</summary>
    /// <exception cref="ModelFormatException">No such tensor, or the file was truncated.</exception>
    public byte[] ReadBytes(string name)
    {
        var info = GetTensor(name);
        if (info.ByteLength > Array.MaxLength)
            throw new ModelFormatException(Path, name, $"the tensor has {info.ByteLength} bytes, more than one array can hold.");
        var bytes = new byte[info.ByteLength];
        ReadExactly(handle, bytes, DataOffset + info.DataBegin, Path, name);
        return bytes;
    }

    /// <summary>Reads a tensor's raw bytes into <paramref name="destination"/>, whose length must be the byte length.</summary>
    /// <exception cref="ModelFormatException">No such tensor, or the file was truncated.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the byte length.</exception>
    public void ReadBytes(string name, Span<byte> destination)
    {
        var info = GetTensor(name);
        if (destination.Length != info.ByteLength)
            throw new ArgumentException($"The destination holds {destination.Length} bytes but tensor '{name}' has {info.ByteLength}.", nameof(destination));
        ReadExactly(handle, destination, DataOffset + info.DataBegin, Path, name);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    private void RequireFloat(SafetensorsTensorInfo info)
    {
        if (!info.Dtype.IsFloatConvertible())
        {
            throw new ModelFormatException(Path, info.Name,
                $"dtype {info.Dtype.HeaderName()} cannot be read as float; WarmGate reads F32, F16 and BF16 weights. Save the checkpoint in one of those.");
        }
    }

    private void ReadFloat32(SafetensorsTensorInfo info, Span<float> destination)
    {
        long offset = DataOffset + info.DataBegin;
        if (info.Dtype == SafetensorsDtype.F32)
        {
            // Straight into the destination, in slices whose byte length fits in an int.
            for (int done = 0; done < destination.Length;)
            {
                var slice = destination.Slice(done, Math.Min(destination.Length - done, 1 << 28));
                ReadExactly(handle, MemoryMarshal.AsBytes(slice), offset + (4L * done), Path, info.Name);
                if (!BitConverter.IsLittleEndian)
                {
                    var bits = MemoryMarshal.Cast<float, uint>(slice);
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }

                done += slice.Length;
            }

            return;
        }

        bool bf16 = info.Dtype == SafetensorsDtype.BF16;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int done = 0;
            while (done < destination.Length)
            {
                int count = Math.Min(destination.Length - done, ChunkBytes / 2);
                var chunk = buffer.AsSpan(0, count * 2);
                ReadExactly(handle, chunk, offset + (2L * done), Path, info.Name);
                var target = destination.Slice(done, count);
                for (int i = 0; i < count; i++)
                {
                    ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk.Slice(2 * i, 2));
                    target[i] = bf16 ? FloatEncoding.FromBFloat16Bits(bits) : FloatEncoding.FromHalfBits(bits);
                }

                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string path, string? tensor)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read <= 0)
                throw new ModelFormatException(path, tensor, $"the file ended at byte {offset} while reading; it was truncated or replaced after it was opened.");
            destination = destination[read..];
            offset += read;
        }
    }
}
