namespace WarmGate.Kernels.Model;

/// <summary>One tensor as its safetensors header describes it (validated against the file).</summary>
public sealed class SafetensorsTensorInfo
{
    internal SafetensorsTensorInfo(string name, SafetensorsDtype dtype, long[] shape, long dataBegin, long dataEnd, long elementCount)
    {
        Name = name;
        Dtype = dtype;
        Shape = shape;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
        ElementCount = elementCount;
    }

    /// <summary>The tensor's name, such as <c>backbone.embeddings.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDtype Dtype { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Start of the data, relative to the start of the data region (after the header).</summary>
    public long DataBegin { get; }

    /// <summary>End (exclusive) of the data, relative to the start of the data region.</summary>
    public long DataEnd { get; }

    /// <summary>The product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Bytes of data: <c>DataEnd - DataBegin</c>.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>Whether the shape equals <paramref name="expected"/>, dimension by dimension.</summary>
    public bool HasShape(IReadOnlyList<long> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Count != Shape.Count)
            return false;
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i] != Shape[i])
                return false;
        }

        return true;
    }

    /// <summary>The shape as text, such as <c>[768, 1, 4]</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape as <c>[a, b, c]</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return "[" + string.Join(", ", shape) + "]";
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Dtype.HeaderName()} {ShapeText}";
}
