using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The dimensions of Mamba2's causal depthwise conv1d: <see cref="Channels"/> channels (the conv
/// dim, <c>intermediate + 2·G·N</c>) and kernel width <see cref="Width"/> (K, typically 4). The
/// conv state of a sequence is its last K−1 inputs per channel.
/// </summary>
public sealed record Conv1dShape
{
    /// <summary>Creates and checks a shape.</summary>
    /// <param name="channels">The channel count, at least 1.</param>
    /// <param name="width">The kernel width K, at least 1.</param>
    /// <exception cref="ArgumentException">A dimension is below 1.</exception>
    public Conv1dShape(int channels, int width)
    {
        DecodeChecks.AtLeast(channels, 1, nameof(channels), "Conv channels C");
        DecodeChecks.AtLeast(width, 1, nameof(width), "Conv kernel width K");
        if ((long)channels * width > int.MaxValue)
        {
            throw DecodeChecks.Error(nameof(width), "The conv weight is too large",
                $"C·K <= {int.MaxValue}", $"{(long)channels * width}");
        }
        Channels = channels;
        Width = width;
    }

    /// <summary>C: the channel count.</summary>
    public int Channels { get; }

    /// <summary>K: the kernel width.</summary>
    public int Width { get; }

    /// <summary>K−1: the inputs per channel a conv state keeps.</summary>
    public int StateWidth => Width - 1;

    /// <summary>C·(K−1): the elements of one conv-state slot.</summary>
    public int SlotSize => Channels * StateWidth;

    /// <summary>The shape part of a key: <c>C=..,K=..</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"C={Channels},K={Width}");
}
