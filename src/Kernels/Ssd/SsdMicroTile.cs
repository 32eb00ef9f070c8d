using System.Runtime.CompilerServices;
using ILGPU;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The register micro-tile of the SSD matrix-product stages: each thread owns 8 × 8 outputs and
/// multiplies an 8-vector of one operand by an 8-vector of the other per step (64 FMAs for 16
/// shared-memory loads). Plain structs of scalars, so ILGPU keeps them in registers.
/// </summary>
internal static class SsdMicroTile
{
    /// <summary>Rows (and columns) of one thread's micro-tile.</summary>
    public const int Size = 8;

    /// <summary>Threads along an extent of <paramref name="tile"/> elements (at least one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Threads(int tile) => tile >= Size ? tile / Size : 1;
}

/// <summary>Eight operand values of one micro-tile step.</summary>
internal struct SsdVec8
{
    public float V0;
    public float V1;
    public float V2;
    public float V3;
    public float V4;
    public float V5;
    public float V6;
    public float V7;

    /// <summary>Loads <c>tile[start + k·step]</c> for k &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SsdVec8 Load(ArrayView<float> tile, int start, int step)
    {
        SsdVec8 v;
        v.V0 = tile[start + (0 * step)];
        v.V1 = tile[start + (1 * step)];
        v.V2 = tile[start + (2 * step)];
        v.V3 = tile[start + (3 * step)];
        v.V4 = tile[start + (4 * step)];
        v.V5 = tile[start + (5 * step)];
        v.V6 = tile[start + (6 * step)];
        v.V7 = tile[start + (7 * step)];
        return v;
    }
}

/// <summary>One row of a thread's 8 × 8 accumulators.</summary>
internal struct SsdRow8
{
    public float C0;
    public float C1;
    public float C2;
    public float C3;
    public float C4;
    public float C5;
    public float C6;
    public float C7;

    /// <summary>Adds <c>a·b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fma(float a, SsdVec8 b)
    {
        C0 += a * b.V0;
        C1 += a * b.V1;
        C2 += a * b.V2;
        C3 += a * b.V3;
        C4 += a * b.V4;
        C5 += a * b.V5;
        C6 += a * b.V6;
        C7 += a * b.V7;
    }

    /// <summary>Multiplies every column by <paramref name="s"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Scale(float s)
    {
        C0 *= s;
        C1 *= s;
        C2 *= s;
        C3 *= s;
        C4 *= s;
        C5 *= s;
        C6 *= s;
        C7 *= s;
    }

    /// <summary>Column k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float Get(int k) => k switch
    {
        0 => C0,
        1 => C1,
        2 => C2,
        3 => C3,
        4 => C4,
        5 => C5,
        6 => C6,
        _ => C7,
    };
}

/// <summary>A thread's 8 × 8 accumulators.</summary>
internal struct SsdTile8
{
    public SsdRow8 R0;
    public SsdRow8 R1;
    public SsdRow8 R2;
    public SsdRow8 R3;
    public SsdRow8 R4;
    public SsdRow8 R5;
    public SsdRow8 R6;
    public SsdRow8 R7;

    /// <summary>Adds the outer product <c>a·bᵀ</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fma(SsdVec8 a, SsdVec8 b)
    {
        R0.Fma(a.V0, b);
        R1.Fma(a.V1, b);
        R2.Fma(a.V2, b);
        R3.Fma(a.V3, b);
        R4.Fma(a.V4, b);
        R5.Fma(a.V5, b);
        R6.Fma(a.V6, b);
        R7.Fma(a.V7, b);
    }

    /// <summary>Multiplies row k by <c>s.Vk</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ScaleRows(SsdVec8 s)
    {
        R0.Scale(s.V0);
        R1.Scale(s.V1);
        R2.Scale(s.V2);
        R3.Scale(s.V3);
        R4.Scale(s.V4);
        R5.Scale(s.V5);
        R6.Scale(s.V6);
        R7.Scale(s.V7);
    }

    /// <summary>Row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly SsdRow8 Row(int r) => r switch
    {
        0 => R0,
        1 => R1,
        2 => R2,
        3 => R3,
        4 => R4,
        5 => R5,
        6 => R6,
        _ => R7,
    };
}
