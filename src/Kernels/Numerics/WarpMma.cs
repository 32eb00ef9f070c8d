using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Numerics;

/// <summary>
/// The operand side of a warp-level tensor-core product (<see cref="MmaWarpTile"/> issues the
/// instructions), <c>mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32</c>, with
/// both operands in shared memory as packed fp16 pairs (one <see cref="uint"/> holds two values
/// adjacent along k, the lower k in the low half). A is a 16 × 16 tile stored row-major (row m,
/// k pairs along the row); B is a 16 × 8 tile stored column by column (column n, k pairs along it).
/// The TF32 product <c>mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32</c> (<see cref="MmaWarpTile"/>)
/// reads the same word positions with one TF32 value per word (<see cref="Tf32"/>): its fragments
/// (a: rows g, g + 8 at k t and t + 4; b: k t and t + 4 of column g) sit exactly where the fp16
/// pairs of k 2t, 2t + 1 and 2t + 8, 2t + 9 sit, so both formats share the loads and the tile layout,
/// and a step of 8 words is k16 for fp16 and k8 for TF32.
/// The lane is logical, <c>Group.IdxX &amp; 31</c>, on every backend, so kernels must be launched
/// explicitly grouped with groups of a multiple of 32 threads.
/// <para>
/// On CUDA (<see cref="CudaAsm.IsSupported"/>: ILGPU writes it as a constant predicate that ptxas
/// folds, so the CPU branch still goes through ILGPU's passes but not into the binary) each lane loads its
/// fragments (<see cref="LoadA"/>, <see cref="LoadB"/>). Elsewhere (the CPU accelerator) each lane computes exactly
/// the accumulators it owns (rows g and g + 8, columns 2t and 2t + 1, g = lane / 4, t = lane % 4) by
/// fp32 dots over the same fp16 values, so a kernel's tiling, indexing and masking are tested on the
/// CPU and only the fragment packing is GPU-only. Layout: PTX ISA, "Matrix Fragments for
/// mma.m16n8k16" (verified on the H200, shared/gpu/README.md).
/// </para>
/// </summary>
internal static class WarpMma
{
    /// <summary>Lanes of a warp.</summary>
    public const int WarpSize = 32;

    /// <summary>The calling thread's logical lane, <c>Group.IdxX &amp; 31</c>.</summary>
    public static int Lane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Group.IdxX & (WarpSize - 1);
    }

    /// <summary>The calling thread's warp in its group, <c>Group.IdxX / 32</c>.</summary>
    public static int Warp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Group.IdxX / WarpSize;
    }

    /// <summary>Rounds two fp32 values to fp16 and packs them, <paramref name="low"/> in the low half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pack(float low, float high) =>
        Interop.FloatAsInt((Half)low) | ((uint)Interop.FloatAsInt((Half)high) << 16);

    /// <summary>
    /// Rounds an fp32 value to TF32 (10 mantissa bits, to nearest, ties away from zero, as
    /// <c>cvt.rna.tf32.f32</c>) and returns its bits with the 13 low bits zero; infinities and NaNs
    /// pass unchanged. Integer arithmetic, so the CPU emulation rounds exactly as the GPU does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Tf32(float value)
    {
        var bits = Interop.FloatAsInt(value);
        return (bits & 0x7F800000u) == 0x7F800000u ? bits : (bits + 0x1000u) & 0xFFFFE000u;
    }

    /// <summary>The fp16 value in the low half of a packed pair, widened to fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Low(uint pair) => Interop.IntAsFloat((ushort)(pair & 0xFFFFu));

    /// <summary>The fp16 value in the high half of a packed pair, widened to fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float High(uint pair) => Interop.IntAsFloat((ushort)(pair >> 16));

    /// <summary>
    /// The A fragment of a 16 × 16 tile whose (row 0, k 0) pair is <c>tile[offset]</c>, rows
    /// <paramref name="ld"/> words apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MmaFragmentA LoadA(ArrayView<uint> tile, int offset, int ld, int lane)
    {
        MmaFragmentA a;
        a.Tile = tile;
        a.Offset = offset;
        a.Ld = ld;
        if (CudaAsm.IsSupported)
        {
            var first = offset + ((lane >> 2) * ld) + (lane & 3);
            a.R0 = tile[first];
            a.R1 = tile[first + (8 * ld)];
            a.R2 = tile[first + 4];
            a.R3 = tile[first + (8 * ld) + 4];
        }
        else
        {
            a.R0 = a.R1 = a.R2 = a.R3 = 0;
        }
        return a;
    }

    /// <summary>
    /// The B fragment of a 16 × 8 tile whose (k 0, column 0) pair is <c>tile[offset]</c>, columns
    /// <paramref name="ld"/> words apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MmaFragmentB LoadB(ArrayView<uint> tile, int offset, int ld, int lane)
    {
        MmaFragmentB b;
        b.Tile = tile;
        b.Offset = offset;
        b.Ld = ld;
        if (CudaAsm.IsSupported)
        {
            var first = offset + ((lane >> 2) * ld) + (lane & 3);
            b.R0 = tile[first];
            b.R1 = tile[first + 4];
        }
        else
        {
            b.R0 = b.R1 = 0;
        }
        return b;
    }

    /// <summary>
    /// The CPU emulation of one product, <c>acc += A·B</c> (<see cref="MmaWarpTile.Step"/> issues the
    /// instruction itself on CUDA): the lane's four fp32 dots over the fragments' tiles, 8 words each (16 fp16 values, or 8 TF32 values when
    /// <paramref name="tf32"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Emulate(ref MmaAccumulator acc, MmaFragmentA a, MmaFragmentB b, int lane, bool tf32 = false)
    {
        var g = lane >> 2;
        var t = lane & 3;
        var rowG = a.Offset + (g * a.Ld);
        var rowG8 = rowG + (8 * a.Ld);
        var col0 = b.Offset + (2 * t * b.Ld);
        var col1 = col0 + b.Ld;
        acc.C0 += Dot(a.Tile, rowG, b.Tile, col0, tf32);
        acc.C1 += Dot(a.Tile, rowG, b.Tile, col1, tf32);
        acc.C2 += Dot(a.Tile, rowG8, b.Tile, col0, tf32);
        acc.C3 += Dot(a.Tile, rowG8, b.Tile, col1, tf32);
    }

    /// <summary>The fp32 dot of the 8 words at <c>x[xi..]</c> and <c>y[yi..]</c>: 16 fp16 values, or 8 TF32 ones.</summary>
    private static float Dot(ArrayView<uint> x, int xi, ArrayView<uint> y, int yi, bool tf32)
    {
        var sum = 0f;
        for (var w = 0; w < 8; w++)
        {
            var xw = x[xi + w];
            var yw = y[yi + w];
            sum += tf32
                ? Interop.IntAsFloat(xw) * Interop.IntAsFloat(yw)
                : (Low(xw) * Low(yw)) + (High(xw) * High(yw));
        }
        return sum;
    }
}

/// <summary>One lane's A registers of an m16n8k16 product (and, for the CPU path, where the tile is).</summary>
internal struct MmaFragmentA
{
    public uint R0;
    public uint R1;
    public uint R2;
    public uint R3;
    public ArrayView<uint> Tile;
    public int Offset;
    public int Ld;
}

/// <summary>One lane's B registers of an m16n8k16 product (and, for the CPU path, where the tile is).</summary>
internal struct MmaFragmentB
{
    public uint R0;
    public uint R1;
    public ArrayView<uint> Tile;
    public int Offset;
    public int Ld;
}

/// <summary>
/// One lane's four fp32 accumulators of an m16 × n8 tile: <c>C0</c> = (g, 2t), <c>C1</c> = (g, 2t + 1),
/// <c>C2</c> = (g + 8, 2t), <c>C3</c> = (g + 8, 2t + 1), with g = lane / 4 and t = lane % 4.
/// </summary>
internal struct MmaAccumulator
{
    public float C0;
    public float C1;
    public float C2;
    public float C3;

    /// <summary>Multiplies row g by <paramref name="top"/> and row g + 8 by <paramref name="bottom"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ScaleRows(float top, float bottom)
    {
        C0 *= top;
        C1 *= top;
        C2 *= bottom;
        C3 *= bottom;
    }
}
