using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

/// <summary>A very small valid Mamba2 config and seeded weights for it.</summary>
internal static class TinyMamba2
{
    public static Mamba2Config Config { get; } = new()
    {
        HiddenSize = 8,
        Expand = 2,
        HeadDim = 4,
        NumHeads = 4,
        NGroups = 2,
        StateSize = 4,
        ConvKernel = 4,
        ChunkSize = 8,
        NumHiddenLayers = 2,
        VocabSize = 16,
        TimeStepLimitMin = 0.0,
        TimeStepLimitMax = double.PositiveInfinity,
    };

    public static Dictionary<string, float[]> Tensors(Mamba2Config config, int seed = 1)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var spec in Mamba2TensorSpec.For(config))
        {
            if (!spec.Required)
                continue;
            var values = new float[spec.ElementCount];
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)((random.NextDouble() * 2) - 1);
            tensors[spec.Name] = values;
        }

        return tensors;
    }

    /// <summary>Bytes of a safetensors file: 8-byte length, the header text, then data.</summary>
    public static byte[] RawSafetensors(string header, byte[]? data = null, ulong? declaredLength = null)
    {
        byte[] headerBytes = System.Text.Encoding.UTF8.GetBytes(header);
        return RawSafetensors(headerBytes, data, declaredLength);
    }

    public static byte[] RawSafetensors(byte[] headerBytes, byte[]? data = null, ulong? declaredLength = null)
    {
        data ??= [];
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        return bytes;
    }
}
