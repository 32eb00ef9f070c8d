using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Layers;

/// <summary>The arguments of one GEMM launch: <c>C[m, n] = Σ_k A[m, k] · W[n, k] (+ bias[n])</c>.</summary>
internal struct GemmArgs
{
    public ArrayView<float> A;
    public ArrayView<float> W;
    public ArrayView<float> Bias;
    public ArrayView<float> C;
    public int M;
    public int N;
    public int K;
    public int Lda;
    public int Ldc;
}

/// <summary>
/// A shared-memory tiled GEMM with the weight in PyTorch's <c>nn.Linear</c> layout (out × in).
/// A group computes a BM × BN tile of C; each thread computes TM rows of one column. The tile
/// sizes are type-level constants, so every configuration is its own compilation.
/// </summary>
internal static class LinearKernels
{
    public static void Gemm<TBM, TBN, TBK, TTM, THasBias>(GemmArgs args)
        where TBM : struct, IConstant
        where TBN : struct, IConstant
        where TBK : struct, IConstant
        where TTM : struct, IConstant
        where THasBias : struct, IFlag
    {
        var bm = default(TBM).Value;
        var bn = default(TBN).Value;
        var bk = default(TBK).Value;
        var tm = default(TTM).Value;
        var threads = (bm / tm) * bn;

        var shared = SharedMemory.GetDynamic<float>();
        var tileA = shared.SubView(0, bk * bm);
        var tileW = shared.SubView(bk * bm, bk * bn);

        var blocksN = (args.N + bn - 1) / bn;
        var rowBase = (Grid.IdxX / blocksN) * bm;
        var colBase = (Grid.IdxX % blocksN) * bn;
        var tid = Group.IdxX;
        var col = tid % bn;
        var row0 = (tid / bn) * tm;

        float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
        for (var k0 = 0; k0 < args.K; k0 += bk)
        {
            for (var i = tid; i < bk * bm; i += threads)
            {
                var m = i / bk;
                var k = i % bk;
                var gm = rowBase + m;
                var gk = k0 + k;
                tileA[(k * bm) + m] = gm < args.M && gk < args.K ? args.A[((long)gm * args.Lda) + gk] : 0f;
            }
            for (var i = tid; i < bk * bn; i += threads)
            {
                var n = i / bk;
                var k = i % bk;
                var gn = colBase + n;
                var gk = k0 + k;
                tileW[(k * bn) + n] = gn < args.N && gk < args.K ? args.W[((long)gn * args.K) + gk] : 0f;
            }
            Group.Barrier();
            for (var k = 0; k < bk; k++)
            {
                var w = tileW[(k * bn) + col];
                var a = tileA.SubView(k * bm, bm);
                acc0 += a[row0] * w;
                if (tm > 1) acc1 += a[row0 + 1] * w;
                if (tm > 2)
                {
                    acc2 += a[row0 + 2] * w;
                    acc3 += a[row0 + 3] * w;
                }
            }
            Group.Barrier();
        }

        var gcol = colBase + col;
        if (gcol >= args.N) return;
        var bias = default(THasBias).Value ? args.Bias[gcol] : 0f;
        Store(args, rowBase + row0, gcol, acc0 + bias);
        if (tm > 1) Store(args, rowBase + row0 + 1, gcol, acc1 + bias);
        if (tm > 2)
        {
            Store(args, rowBase + row0 + 2, gcol, acc2 + bias);
            Store(args, rowBase + row0 + 3, gcol, acc3 + bias);
        }
    }

    private static void Store(GemmArgs args, int row, int col, float value)
    {
        if (row < args.M) args.C[((long)row * args.Ldc) + col] = value;
    }
}
