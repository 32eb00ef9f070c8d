using System.Runtime.CompilerServices;
using ILGPU;

namespace WarmGate.Kernels.Ssd;

/// <summary>One operand tile of a shared-memory staging step: element e's value and its shared index.</summary>
internal interface ISsdTileSource
{
    /// <summary>The value of element e (0 where masked).</summary>
    float Load(int e);

    /// <summary>The shared-memory index of element e.</summary>
    int Target(int e);
}

/// <summary>
/// Copies a tile into shared memory with the whole group. Each thread issues eight independent
/// loads before it stores any, so a group of few threads still keeps many loads in flight
/// (a one-load-per-iteration loop is bound by memory latency).
/// </summary>
internal static class SsdTileStager
{
    /// <summary>Stages elements 0..total−1 of <paramref name="source"/> into <paramref name="tile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Stage<TSource>(TSource source, ArrayView<float> tile, int total, int tid, int groupSize)
        where TSource : struct, ISsdTileSource
    {
        for (var e = tid; e < total; e += 8 * groupSize)
        {
            var v0 = source.Load(e);
            var e1 = e + (1 * groupSize);
            var v1 = e1 < total ? source.Load(e1) : 0f;
            var e2 = e + (2 * groupSize);
            var v2 = e2 < total ? source.Load(e2) : 0f;
            var e3 = e + (3 * groupSize);
            var v3 = e3 < total ? source.Load(e3) : 0f;
            var e4 = e + (4 * groupSize);
            var v4 = e4 < total ? source.Load(e4) : 0f;
            var e5 = e + (5 * groupSize);
            var v5 = e5 < total ? source.Load(e5) : 0f;
            var e6 = e + (6 * groupSize);
            var v6 = e6 < total ? source.Load(e6) : 0f;
            var e7 = e + (7 * groupSize);
            var v7 = e7 < total ? source.Load(e7) : 0f;
            tile[source.Target(e)] = v0;
            if (e1 < total) tile[source.Target(e1)] = v1;
            if (e2 < total) tile[source.Target(e2)] = v2;
            if (e3 < total) tile[source.Target(e3)] = v3;
            if (e4 < total) tile[source.Target(e4)] = v4;
            if (e5 < total) tile[source.Target(e5)] = v5;
            if (e6 < total) tile[source.Target(e6)] = v6;
            if (e7 < total) tile[source.Target(e7)] = v7;
        }
    }
}
