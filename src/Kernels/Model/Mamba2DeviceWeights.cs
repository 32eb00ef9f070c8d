using ILGPU;
using ILGPU.Runtime;

namespace WarmGate.Kernels.Model;

/// <summary>The weights of one Mamba2 layer on the device (fp32).</summary>
public sealed class Mamba2LayerBuffers
{
    internal Mamba2LayerBuffers(Func<float[], MemoryBuffer1D<float, Stride1D.Dense>> upload, Mamba2Weights w, int layer)
    {
        MemoryBuffer1D<float, Stride1D.Dense>? Optional(string name) => w.Has(name) ? upload(w[name]) : null;
        Norm = upload(w[Mamba2TensorNames.LayerNorm(layer)]);
        InProj = upload(w[Mamba2TensorNames.InProjWeight(layer)]);
        InProjBias = Optional(Mamba2TensorNames.InProjBias(layer));
        ConvWeight = upload(w[Mamba2TensorNames.Conv1dWeight(layer)]);
        ConvBias = Optional(Mamba2TensorNames.Conv1dBias(layer));
        DtBias = upload(w[Mamba2TensorNames.DtBias(layer)]);
        A = upload(w[Mamba2TensorNames.ALog(layer)].Select(a => -MathF.Exp(a)).ToArray());
        D = upload(w[Mamba2TensorNames.D(layer)]);
        MixerNorm = upload(w[Mamba2TensorNames.MixerNorm(layer)]);
        OutProj = upload(w[Mamba2TensorNames.OutProjWeight(layer)]);
        OutProjBias = Optional(Mamba2TensorNames.OutProjBias(layer));
    }

    /// <summary>The pre-mixer RMSNorm weight (hidden).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Norm { get; }

    /// <summary>in_proj (in_proj_out × hidden).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> InProj { get; }

    /// <summary>in_proj bias, when the model has one.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense>? InProjBias { get; }

    /// <summary>conv1d weight (conv_dim × kernel).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> ConvWeight { get; }

    /// <summary>conv1d bias, when the model has one.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense>? ConvBias { get; }

    /// <summary>dt bias (heads).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> DtBias { get; }

    /// <summary>A = −exp(A_log) (heads).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> A { get; }

    /// <summary>D skip (heads).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> D { get; }

    /// <summary>The gated norm weight (intermediate).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> MixerNorm { get; }

    /// <summary>out_proj (hidden × intermediate).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> OutProj { get; }

    /// <summary>out_proj bias, when the model has one.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense>? OutProjBias { get; }
}

/// <summary>All weights of a Mamba2 model uploaded to one accelerator; disposing frees them.</summary>
public sealed class Mamba2DeviceWeights : IDisposable
{
    private readonly List<MemoryBuffer> owned = [];

    /// <summary>Uploads <paramref name="weights"/> to <paramref name="accelerator"/>.</summary>
    public Mamba2DeviceWeights(Accelerator accelerator, Mamba2Weights weights)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(weights);
        MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] data)
        {
            var buffer = accelerator.Allocate1D(data);
            owned.Add(buffer);
            return buffer;
        }
        try
        {
            Embeddings = Upload(weights[Mamba2TensorNames.Embeddings]);
            NormF = Upload(weights[Mamba2TensorNames.NormF]);
            LmHead = weights.Has(Mamba2TensorNames.LmHead) ? Upload(weights[Mamba2TensorNames.LmHead]) : Embeddings;
            Layers = Enumerable.Range(0, weights.Config.NumHiddenLayers)
                .Select(i => new Mamba2LayerBuffers(Upload, weights, i)).ToArray();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Embeddings (vocab × hidden).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Embeddings { get; }

    /// <summary>The final norm weight.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> NormF { get; }

    /// <summary>The LM head (vocab × hidden); the embeddings when tied.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> LmHead { get; }

    /// <summary>Per-layer weights.</summary>
    public IReadOnlyList<Mamba2LayerBuffers> Layers { get; }

    /// <summary>Bytes held on the device.</summary>
    public long Bytes => owned.Sum(b => b.LengthInBytes);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in owned) buffer.Dispose();
        owned.Clear();
    }
}
