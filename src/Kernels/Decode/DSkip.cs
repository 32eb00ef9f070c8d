namespace WarmGate.Kernels.Decode;

/// <summary>The shape of the skip term <c>D·x</c> of a state update.</summary>
public enum DSkip
{
    /// <summary>No skip term (no D tensor).</summary>
    None,

    /// <summary>One D per head: a tensor of H values (Mamba2's <c>D</c>).</summary>
    PerHead,

    /// <summary>One D per channel: a tensor of H·P values (head-major).</summary>
    PerChannel,
}
