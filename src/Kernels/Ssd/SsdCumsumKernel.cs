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
/// and the inclusive cumsum of dt·A inside each chunk, as a parallel scan. A group of CH threads
/// serves one chunk and <see cref="HeadsPerGroup"/> heads: the <c>LH = min(CH, Q)</c> lanes of a
/// head take positions <c>l = j·LH + lane</c> for <c>j = 0 .. Q/LH − 1</c> (consecutive lanes,
/// consecutive positions: the stores are coalesced), scan each row of LH values (warp shuffles
/// when a head's lanes lie in one warp of a group of whole warps, else shared memory) and carry
/// the row total into the next row; positions past the chunk's end repeat the value at its last
/// real token (as the serial sum of zeros did). The dt of row j + 1 is loaded before row j is scanned.
/// Grid (chunks, ⌈H/(CH/LH)⌉).
/// </summary>
internal static class SsdCumsumKernel
{
    public const string Id = "ssd.cumsum";

    /// <summary>LH: the lanes that share one head's positions, <c>min(CH, Q)</c>.</summary>
    public static int LanesPerHead(SsdPrefillConfig config) => Math.Min(config.CumsumHeads, config.ChunkSize);

    /// <summary>The heads of one group: <c>CH / LH</c> (1 unless Q is below CH).</summary>
    public static int HeadsPerGroup(SsdPrefillConfig config) => config.CumsumHeads / LanesPerHead(config);

    public static void Kernel<T, TOps, TSoftplus, TBias, TLimits, TQ>(SsdCumsumParams<T> p)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
        where TSoftplus : struct, IFlag
        where TBias : struct, IFlag
        where TLimits : struct, IFlag
        where TQ : struct, IConstant
    {
        var q = default(TQ).Value;
        var groupSize = Group.DimX;
        var lanes = Math.Min(groupSize, q);
        var tid = Group.IdxX;
        var lane = tid % lanes;
        var h = (Grid.IdxY * (groupSize / lanes)) + (tid / lanes);
        var c = Grid.IdxX;
        // Lanes of a head past H read head H − 1 and store nothing: every thread takes every barrier.
        var active = h < p.Heads;
        if (!active) h = p.Heads - 1;
        var shuffle = lanes <= Warp.WarpSize && groupSize % Warp.WarpSize == 0;
        var scan = SharedMemory.Allocate<float>(SsdPrefillConfig.MaxTile);

        var start = p.ChunkStart[c];
        var length = p.ChunkLength[c];
        var a = p.A[h];
        var bias = default(TBias).Value ? p.DtBias[h] : 0f;
        var outBase = ((h * p.Chunks) + c) * q;
        var rows = q / lanes;
        var raw = lane < length ? default(TOps).ToFloat(p.Dt[((start + lane) * p.DtStride) + h]) : 0f;
        var carry = 0f;
        for (var j = 0; j < rows; j++)
        {
            var l = (j * lanes) + lane;
            var next = 0f;
            if (j + 1 < rows && l + lanes < length)
                next = default(TOps).ToFloat(p.Dt[((start + l + lanes) * p.DtStride) + h]);

            var dt = 0f;
            if (l < length)
            {
                var u = raw + bias;
                if (default(TSoftplus).Value)
                    u = DeviceMath.Softplus(u);
                dt = default(TLimits).Value ? MathF.Min(MathF.Max(u, p.DtMin), p.DtMax) : MathF.Max(u, 0f);
            }

            // The row's last real position: its sum is the row total, and positions past the chunk's
            // end repeat it, so index Q − 1 holds exactly the value at the last real token.
            var lastReal = Math.Min(length - 1 - (j * lanes), lanes - 1);
            var source = Math.Max(lastReal, 0);
            float sum, total;
            if (shuffle)
            {
                sum = dt * a;
                for (var d = 1; d < lanes; d *= 2)
                {
                    var up = Warp.ShuffleUp(sum, d);
                    if (lane >= d) sum += up;
                }
                total = Warp.Shuffle(sum, Warp.LaneIdx - lane + source);
            }
            else
            {
                sum = dt * a;
                scan[tid] = sum;
                Group.Barrier();
                for (var d = 1; d < lanes; d *= 2)
                {
                    var up = lane >= d ? scan[tid - d] : 0f;
                    Group.Barrier();
                    sum += up;
                    scan[tid] = sum;
                    Group.Barrier();
                }
                total = scan[tid - lane + source];
                Group.Barrier();   // the next row overwrites scan
            }

            if (lastReal < 0) total = 0f;
            if (active)
            {
                p.DtOut[outBase + l] = dt;
                p.DACumsum[outBase + l] = carry + (l < length ? sum : total);
            }
            carry += total;
            raw = next;
        }
    }
}
