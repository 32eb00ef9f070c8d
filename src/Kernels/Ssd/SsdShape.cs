namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The model constants of one SSD layer: heads H, head dim P, groups G (H divisible by G) and
/// state size N. Never a sequence length or a token count.
/// </summary>
/// <param name="Heads">H, the number of heads.</param>
/// <param name="HeadDim">P, the channels of each head.</param>
/// <param name="Groups">G, the number of B/C groups; head h reads group h / (H / G).</param>
/// <param name="StateSize">N, the state size (dstate).</param>
public sealed record SsdShape(int Heads, int HeadDim, int Groups, int StateSize)
{
    /// <summary>H / G: how many heads share one B/C group.</summary>
    public int HeadsPerGroup => Heads / Groups;

    /// <summary>H·P: the width of one token's x, z and y rows.</summary>
    public int HeadWidth => Heads * HeadDim;

    /// <summary>G·N: the width of one token's B and C rows.</summary>
    public int GroupWidth => Groups * StateSize;

    /// <summary>P·N: the elements of one head's state.</summary>
    public int StatePerHead => HeadDim * StateSize;

    /// <summary>H·P·N: the elements of one sequence's state.</summary>
    public int StatePerSequence => Heads * HeadDim * StateSize;

    /// <summary>The group of head <paramref name="head"/>.</summary>
    public int GroupOf(int head) => head / HeadsPerGroup;

    /// <summary>Throws unless every dimension is positive and H is a multiple of G.</summary>
    /// <param name="paramName">The argument name the exception carries.</param>
    /// <exception cref="ArgumentException">A dimension is not positive, or H is not divisible by G.</exception>
    public void Validate(string paramName = "shape")
    {
        if (Heads <= 0 || HeadDim <= 0 || Groups <= 0 || StateSize <= 0)
            throw new ArgumentException(
                $"Every SSD dimension must be positive; got H={Heads}, P={HeadDim}, G={Groups}, N={StateSize}.",
                paramName);
        if (Heads % Groups != 0)
            throw new ArgumentException(
                $"Heads (H={Heads}) must be divisible by Groups (G={Groups}): each group serves H/G heads.",
                paramName);
    }

    /// <inheritdoc/>
    public override string ToString() => $"H={Heads},P={HeadDim},G={Groups},N={StateSize}";
}
