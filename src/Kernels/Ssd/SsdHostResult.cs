namespace WarmGate.Kernels.Ssd;

/// <summary>The outputs of <see cref="SsdPrefill.Run(SsdHostInputs, SsdShape, SsdOptions, SsdPrefillConfig, bool)"/>, widened to fp32.</summary>
/// <param name="Y">y, T × H × P.</param>
/// <param name="FinalStates">The final states, nseq × H × P × N.</param>
/// <param name="Stages">Every stage's output, when asked for.</param>
public sealed record SsdHostResult(float[] Y, float[] FinalStates, SsdStageOutputs? Stages);

/// <summary>
/// The intermediate outputs of the five stages of one run, widened to fp32, in the layouts the
/// stage references of <c>WarmGate.Kernels.Reference.SsdReference</c> use.
/// </summary>
/// <param name="Table">The chunk table the run used.</param>
/// <param name="Dt">Processed dt, H × chunks × Q (<c>ssd.cumsum</c>).</param>
/// <param name="DACumsum">In-chunk cumsum of dt·A, H × chunks × Q (<c>ssd.cumsum</c>).</param>
/// <param name="ChunkStates">Each chunk's state contribution, chunks × H × P × N (<c>ssd.chunk_state</c>).</param>
/// <param name="PassedStates">The state after each chunk, chunks × H × P × N, rounded to the state dtype (<c>ssd.state_passing</c>).</param>
/// <param name="CB">C·Bᵀ, chunks × G × Q × Q (<c>ssd.bmm</c>).</param>
public sealed record SsdStageOutputs(
    SsdChunkTable Table, float[] Dt, float[] DACumsum, float[] ChunkStates, float[] PassedStates, float[] CB)
{
    /// <summary>The views the tensor-core kernels were told they may move in 16-byte vectors (<see cref="SsdAlignedViews"/> bits).</summary>
    internal int AlignedViews { get; init; }
}
