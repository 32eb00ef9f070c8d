using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The model dimensions of a selective state update: <c>H</c> heads of dimension <c>P</c>,
/// <c>G</c> groups of B and C (each shared by <c>H/G</c> consecutive heads) and state size
/// <c>N</c>. Batch size and cache size are not part of the shape: they come from the tensors.
/// </summary>
public sealed record StateUpdateShape
{
    /// <summary>Creates and checks a shape.</summary>
    /// <param name="heads">H, at least 1.</param>
    /// <param name="headDim">P, at least 1.</param>
    /// <param name="groups">G, at least 1 and dividing H.</param>
    /// <param name="stateDim">N, at least 1.</param>
    /// <exception cref="ArgumentException">A dimension is below 1 or H is not a multiple of G.</exception>
    public StateUpdateShape(int heads, int headDim, int groups, int stateDim)
    {
        DecodeChecks.AtLeast(heads, 1, nameof(heads), "Heads H");
        DecodeChecks.AtLeast(headDim, 1, nameof(headDim), "Head dimension P");
        DecodeChecks.AtLeast(groups, 1, nameof(groups), "Groups G");
        DecodeChecks.AtLeast(stateDim, 1, nameof(stateDim), "State size N");
        if (heads % groups != 0)
        {
            throw DecodeChecks.Error(nameof(groups), "Heads must split evenly into groups",
                "H % G == 0", $"H={heads}, G={groups}");
        }
        if ((long)heads * headDim * stateDim > int.MaxValue)
        {
            throw DecodeChecks.Error(nameof(stateDim), "One slot of the state cache is too large",
                $"H·P·N <= {int.MaxValue}", $"{(long)heads * headDim * stateDim}");
        }
        Heads = heads;
        HeadDim = headDim;
        Groups = groups;
        StateDim = stateDim;
    }

    /// <summary>H: the number of heads.</summary>
    public int Heads { get; }

    /// <summary>P: the head dimension.</summary>
    public int HeadDim { get; }

    /// <summary>G: the number of B/C groups.</summary>
    public int Groups { get; }

    /// <summary>N: the state size.</summary>
    public int StateDim { get; }

    /// <summary>H/G: the heads that share one group of B and C.</summary>
    public int HeadsPerGroup => Heads / Groups;

    /// <summary>H·P: the width of an x, z or y row.</summary>
    public int Channels => Heads * HeadDim;

    /// <summary>G·N: the width of a B or C row.</summary>
    public int GroupWidth => Groups * StateDim;

    /// <summary>H·P·N: the elements of one cache slot.</summary>
    public int SlotSize => Heads * HeadDim * StateDim;

    /// <summary>The shape part of a key: <c>H=..,P=..,G=..,N=..</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"H={Heads},P={HeadDim},G={Groups},N={StateDim}");
}
