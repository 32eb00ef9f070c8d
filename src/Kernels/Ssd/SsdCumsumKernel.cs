using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>The arguments of <c>ssd.cumsum</c>.</summary>
internal struct SsdCumsumParams<T>
    where T : unmanaged
{
    public ArrayView<T> Dt;
    public int DtStride;
    public ArrayView<float> A;
    public ArrayView<float> DtBias;
    public ArrayView<int> ChunkStart;
    public ArrayView<int> ChunkLength;

    /// <summary>Out: processed dt, H × chunks × Q.</summary>
    public ArrayView<float> DtOut;

    /// <summary>Out: inclusive in-chunk cumsum of dt·A, H × chunks × Q.</summary>
    public ArrayView<float> DACumsum;
    public int Heads;
    public int Chunks;
    public float DtMin;
    public float DtMax;
}

/// <summary>
/// Stage 1, <c>ssd.cumsum</c> (ssd-spec §3.1): dt processing (bias, threshold-20 softplus, clamp)
/// and the inclusive cumsum of dt·A inside each chunk. One thread per (head, chunk) walks the
/// chunk's Q positions; grid (chunks, ⌈H/CH⌉), groups of CH threads.
/// </summary>
internal static class SsdCumsumKernel
{
    public const string Id = "ssd.cumsum";

    public static void Kernel<T, TOps, TSoftplus, TBias, TLimits, TQ>(SsdCumsumParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TSoftplus : struct, IFlag
        where TBias : struct, IFlag
        where TLimits : struct, IFlag
        where TQ : struct, IConstant
    {
        var c = Grid.IdxX;
        var h = (Grid.IdxY * Group.DimX) + Group.IdxX;
        if (h >= p.Heads) return;
        var q = default(TQ).Value;
        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var a = p.A[h];
        var bias = default(TBias).Value ? p.DtBias[h] : 0f;
        var outBase = ((h * p.Chunks) + c) * q;
        var sum = 0f;
        for (var l = 0; l < q; l++)
        {
            var dt = 0f;
            if (l < length)
            {
                var u = default(TOps).ToFloat(p.Dt[((start + l) * p.DtStride) + h]) + bias;
                if (default(TSoftplus).Value)
                    u = DeviceMath.Softplus(u);
                dt = default(TLimits).Value ? MathF.Min(MathF.Max(u, p.DtMin), p.DtMax) : MathF.Max(u, 0f);
            }
            sum += dt * a;
            p.DtOut[outBase + l] = dt;
            p.DACumsum[outBase + l] = sum;
        }
    }
}
