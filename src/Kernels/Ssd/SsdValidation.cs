namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The sizes of an SSD prefill's operands, as host arrays or device views hold them (null: the
/// operand is absent). One description for both, so both entry points check the same rules.
/// </summary>
internal readonly record struct SsdOperandSizes(
    int Tokens,
    IReadOnlyList<int>? CuSeqlens,
    long? X,
    int XStride,
    long? Dt,
    int DtStride,
    long? A,
    long? B,
    int BStride,
    long? C,
    int CStride,
    long? DtBias,
    long? D,
    long? Z,
    int ZStride,
    long? InitialStates);

/// <summary>
/// Checks an SSD prefill's arguments before anything runs. Each failure is an
/// <see cref="ArgumentException"/> whose ParamName is the offending argument (the property name
/// of <see cref="SsdPrefillArgs{T, TState}"/> or <see cref="SsdHostInputs"/>) and whose message
/// states the expected size and what was given.
/// </summary>
internal static class SsdValidation
{
    /// <summary>Validates the inputs of one call against the shape and options.</summary>
    public static void ValidateInputs(SsdShape shape, SsdOptions options, in SsdOperandSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        shape.Validate(nameof(shape));
        options.Validate(nameof(options));
        int t = sizes.Tokens, h = shape.Heads, hp = shape.HeadWidth, gn = shape.GroupWidth;
        if (t <= 0)
            throw new ArgumentException($"Tokens must be positive; got {t}.", "Tokens");
        SsdChunkTable.ValidateCuSeqlens(sizes.CuSeqlens, "CuSeqlens");
        var cu = sizes.CuSeqlens!;
        if (cu[^1] != t)
            throw new ArgumentException(
                $"cuSeqlens must end at the token count T={t}; its last entry is {cu[^1]}.", "CuSeqlens");
        var nseq = cu.Count - 1;

        Rows("X", sizes.X, "XStride", sizes.XStride, t, hp, "H*P");
        Rows("Dt", sizes.Dt, "DtStride", sizes.DtStride, t, h, "H");
        Vector("A", sizes.A, h, "H");
        Rows("B", sizes.B, "BStride", sizes.BStride, t, gn, "G*N");
        Rows("C", sizes.C, "CStride", sizes.CStride, t, gn, "G*N");

        Optional("DtBias", sizes.DtBias, options.HasDtBias, "HasDtBias");
        if (options.HasDtBias) Vector("DtBias", sizes.DtBias, h, "H");

        Optional("D", sizes.D, options.DMode != SsdDMode.None, "DMode != None");
        if (options.DMode == SsdDMode.PerHead) Vector("D", sizes.D, h, "H (DMode PerHead)");
        if (options.DMode == SsdDMode.PerChannel) Vector("D", sizes.D, hp, "H*P (DMode PerChannel)");

        Optional("Z", sizes.Z, options.HasZ, "HasZ");
        if (options.HasZ) Rows("Z", sizes.Z, "ZStride", sizes.ZStride, t, hp, "H*P");

        Optional("InitialStates", sizes.InitialStates, options.HasInitialStates, "HasInitialStates");
        if (options.HasInitialStates)
            Vector("InitialStates", sizes.InitialStates, (long)nseq * shape.StatePerSequence, $"nseq*H*P*N with nseq={nseq}");
    }

    /// <summary>The sizes of host inputs.</summary>
    public static SsdOperandSizes Sizes(SsdHostInputs inputs) => new(
        inputs.Tokens, inputs.CuSeqlens,
        inputs.X?.Length, inputs.XStride, inputs.Dt?.Length, inputs.DtStride, inputs.A?.Length,
        inputs.B?.Length, inputs.BStride, inputs.C?.Length, inputs.CStride,
        inputs.DtBias?.Length, inputs.D?.Length, inputs.Z?.Length, inputs.ZStride, inputs.InitialStates?.Length);

    /// <summary>Validates host inputs against the shape and options.</summary>
    public static void ValidateInputs(SsdShape shape, SsdOptions options, SsdHostInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ValidateInputs(shape, options, Sizes(inputs));
    }

    /// <summary>
    /// Throws unless every index the kernels compute fits in 32 bits: y (T·H·P) and the
    /// intermediates (chunks·H·P·N, chunks·G·Q·Q, H·chunks·Q).
    /// </summary>
    public static void IndexRange(SsdShape shape, SsdPrefillConfig config, IReadOnlyList<int> cuSeqlens)
    {
        long chunks = 0;
        for (var s = 1; s < cuSeqlens.Count; s++)
            chunks += (cuSeqlens[s] - cuSeqlens[s - 1] + config.ChunkSize - 1) / config.ChunkSize;
        long q = config.ChunkSize;
        var largest = Math.Max(
            Math.Max((long)cuSeqlens[^1] * shape.HeadWidth, chunks * shape.StatePerSequence),
            Math.Max(chunks * shape.Groups * q * q, chunks * shape.Heads * q));
        if (largest > int.MaxValue)
            throw new ArgumentException(
                $"This batch needs {largest} elements in one tensor (T={cuSeqlens[^1]}, {chunks} chunks of Q={q}, {shape}); " +
                $"the kernels index with 32 bits (at most {int.MaxValue}). Split the batch into smaller calls.",
                "CuSeqlens");
    }

    /// <summary>Validates an output that must hold at least <paramref name="needed"/> elements.</summary>
    public static void Output(string name, long length, long needed, string shapeText)
    {
        if (length < needed)
            throw new ArgumentException(
                $"{name} must hold at least {needed} elements ({shapeText}); it holds {length}.", name);
    }

    private static void Rows(string name, long? length, string strideName, int stride, int tokens, int width, string widthText)
    {
        if (length is null)
            throw new ArgumentException($"{name} is required ({tokens} token rows of {widthText}={width}).", name);
        if (stride < width)
            throw new ArgumentException(
                $"{strideName} must be at least the row width {widthText}={width}; got {stride}.", strideName);
        var needed = ((long)(tokens - 1) * stride) + width;
        if (needed > int.MaxValue)
            throw new ArgumentException(
                $"{name} would span {needed} elements (T={tokens}, {strideName}={stride}); the kernels index with 32 bits. Split the batch.",
                name);
        if (length < needed)
            throw new ArgumentException(
                $"{name} must hold at least (T-1)*{strideName} + {widthText} = ({tokens}-1)*{stride} + {width} = {needed} " +
                $"elements (T={tokens} token rows of {width}); it holds {length}.",
                name);
    }

    private static void Vector(string name, long? length, long needed, string shapeText)
    {
        if (length is null)
            throw new ArgumentException($"{name} is required ({shapeText} = {needed} elements).", name);
        if (length < needed)
            throw new ArgumentException(
                $"{name} must hold at least {shapeText} = {needed} elements; it holds {length}.", name);
    }

    private static void Optional(string name, long? length, bool expected, string option)
    {
        if (expected && length is null)
            throw new ArgumentException($"{name} is missing but the options say {option}: pass it or turn the option off.", name);
        if (!expected && length is not null)
            throw new ArgumentException(
                $"{name} was given ({length} elements) but the options do not say {option}: drop it or turn the option on.", name);
    }
}
