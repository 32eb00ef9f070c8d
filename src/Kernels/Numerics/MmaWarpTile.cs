using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Kernels.Numerics;

/// <summary>
/// A warp's 32 × 32 fp32 output tile built from 2 × 4 tensor-core products (<see cref="WarpMma"/>):
/// each step of 8 words (k16 of fp16 pairs, or k8 of TF32 values) loads two A and four B fragments
/// and issues eight products. Lane (g, t) owns rows
/// <c>16·mi + 8·half + g</c> and columns <c>8·ni + 2t + b</c> (mi, half, b in {0, 1}, ni in 0..3; see <see cref="Store"/>).
/// Plain fields, so ILGPU keeps the 32 accumulators in registers.
/// </summary>
internal struct MmaWarpTile
{
    /// <summary>Rows and columns of the tile.</summary>
    public const int Size = 32;

    /// <summary>Declares and zeroes the named accumulator registers.</summary>
    private const string Declare = ".reg .f32 wga<32>; mov.f32 wga0, 0f00000000; mov.f32 wga1, 0f00000000; mov.f32 wga2, 0f00000000; mov.f32 wga3, 0f00000000; mov.f32 wga4, 0f00000000; mov.f32 wga5, 0f00000000; mov.f32 wga6, 0f00000000; mov.f32 wga7, 0f00000000; mov.f32 wga8, 0f00000000; mov.f32 wga9, 0f00000000; mov.f32 wga10, 0f00000000; mov.f32 wga11, 0f00000000; mov.f32 wga12, 0f00000000; mov.f32 wga13, 0f00000000; mov.f32 wga14, 0f00000000; mov.f32 wga15, 0f00000000; mov.f32 wga16, 0f00000000; mov.f32 wga17, 0f00000000; mov.f32 wga18, 0f00000000; mov.f32 wga19, 0f00000000; mov.f32 wga20, 0f00000000; mov.f32 wga21, 0f00000000; mov.f32 wga22, 0f00000000; mov.f32 wga23, 0f00000000; mov.f32 wga24, 0f00000000; mov.f32 wga25, 0f00000000; mov.f32 wga26, 0f00000000; mov.f32 wga27, 0f00000000; mov.f32 wga28, 0f00000000; mov.f32 wga29, 0f00000000; mov.f32 wga30, 0f00000000; mov.f32 wga31, 0f00000000;";

    private const string MmaPrefix = "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 ";
    private const string Operands = ", {%0, %1, %2, %3}, {%4, %5}, ";
    private const string Mma00 = MmaPrefix + "{wga0, wga1, wga2, wga3}" + Operands + "{wga0, wga1, wga2, wga3};";
    private const string Mma01 = MmaPrefix + "{wga4, wga5, wga6, wga7}" + Operands + "{wga4, wga5, wga6, wga7};";
    private const string Mma02 = MmaPrefix + "{wga8, wga9, wga10, wga11}" + Operands + "{wga8, wga9, wga10, wga11};";
    private const string Mma03 = MmaPrefix + "{wga12, wga13, wga14, wga15}" + Operands + "{wga12, wga13, wga14, wga15};";
    private const string Mma10 = MmaPrefix + "{wga16, wga17, wga18, wga19}" + Operands + "{wga16, wga17, wga18, wga19};";
    private const string Mma11 = MmaPrefix + "{wga20, wga21, wga22, wga23}" + Operands + "{wga20, wga21, wga22, wga23};";
    private const string Mma12 = MmaPrefix + "{wga24, wga25, wga26, wga27}" + Operands + "{wga24, wga25, wga26, wga27};";
    private const string Mma13 = MmaPrefix + "{wga28, wga29, wga30, wga31}" + Operands + "{wga28, wga29, wga30, wga31};";

    private const string Tf32Prefix = "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 ";
    private const string Tf32Mma00 = Tf32Prefix + "{wga0, wga1, wga2, wga3}" + Operands + "{wga0, wga1, wga2, wga3};";
    private const string Tf32Mma01 = Tf32Prefix + "{wga4, wga5, wga6, wga7}" + Operands + "{wga4, wga5, wga6, wga7};";
    private const string Tf32Mma02 = Tf32Prefix + "{wga8, wga9, wga10, wga11}" + Operands + "{wga8, wga9, wga10, wga11};";
    private const string Tf32Mma03 = Tf32Prefix + "{wga12, wga13, wga14, wga15}" + Operands + "{wga12, wga13, wga14, wga15};";
    private const string Tf32Mma10 = Tf32Prefix + "{wga16, wga17, wga18, wga19}" + Operands + "{wga16, wga17, wga18, wga19};";
    private const string Tf32Mma11 = Tf32Prefix + "{wga20, wga21, wga22, wga23}" + Operands + "{wga20, wga21, wga22, wga23};";
    private const string Tf32Mma12 = Tf32Prefix + "{wga24, wga25, wga26, wga27}" + Operands + "{wga24, wga25, wga26, wga27};";
    private const string Tf32Mma13 = Tf32Prefix + "{wga28, wga29, wga30, wga31}" + Operands + "{wga28, wga29, wga30, wga31};";

    /// <summary>Rows g (%0), g + 8 (%1), 16 + g (%2), 24 + g (%3) of the named registers times their factors.</summary>
    private const string Scale =
        "mul.f32 wga0, wga0, %0; mul.f32 wga1, wga1, %0; mul.f32 wga2, wga2, %1; mul.f32 wga3, wga3, %1; " +
        "mul.f32 wga4, wga4, %0; mul.f32 wga5, wga5, %0; mul.f32 wga6, wga6, %1; mul.f32 wga7, wga7, %1; " +
        "mul.f32 wga8, wga8, %0; mul.f32 wga9, wga9, %0; mul.f32 wga10, wga10, %1; mul.f32 wga11, wga11, %1; " +
        "mul.f32 wga12, wga12, %0; mul.f32 wga13, wga13, %0; mul.f32 wga14, wga14, %1; mul.f32 wga15, wga15, %1; " +
        "mul.f32 wga16, wga16, %2; mul.f32 wga17, wga17, %2; mul.f32 wga18, wga18, %3; mul.f32 wga19, wga19, %3; " +
        "mul.f32 wga20, wga20, %2; mul.f32 wga21, wga21, %2; mul.f32 wga22, wga22, %3; mul.f32 wga23, wga23, %3; " +
        "mul.f32 wga24, wga24, %2; mul.f32 wga25, wga25, %2; mul.f32 wga26, wga26, %3; mul.f32 wga27, wga27, %3; " +
        "mul.f32 wga28, wga28, %2; mul.f32 wga29, wga29, %2; mul.f32 wga30, wga30, %3; mul.f32 wga31, wga31, %3;";

    public MmaAccumulator T00;
    public MmaAccumulator T01;
    public MmaAccumulator T02;
    public MmaAccumulator T03;
    public MmaAccumulator T10;
    public MmaAccumulator T11;
    public MmaAccumulator T12;
    public MmaAccumulator T13;

    /// <summary>
    /// A zeroed tile. On CUDA its 32 accumulators are PTX registers named <c>wga0..wga31</c> (tile
    /// 4·(4·mi + ni) + e), declared here, so the products update them in place without any ILGPU
    /// value round trip (an inline-PTX output goes through local memory); create one tile per kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MmaWarpTile Create()
    {
        if (CudaAsm.IsSupported)
            CudaAsm.Emit(Declare);
        return default;
    }

    /// <summary>
    /// Adds one step of 8 words: A rows 0..31 from <c>a[aOffset..]</c> (rows <paramref name="aLd"/> words
    /// apart, k along a row) times B columns 0..31 from <c>b[bOffset..]</c> (columns <paramref name="bLd"/>
    /// words apart, k along a column). A word is an fp16 pair (k16, <c>m16n8k16.f16</c>) or, when
    /// <paramref name="tf32"/>, one TF32 value (k8, <c>m16n8k8.tf32</c>); a kernel passes a constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(ArrayView<uint> a, int aOffset, int aLd, ArrayView<uint> b, int bOffset, int bLd, int lane, bool tf32)
    {
        var a0 = WarpMma.LoadA(a, aOffset, aLd, lane);
        var a1 = WarpMma.LoadA(a, aOffset + (16 * aLd), aLd, lane);
        var b0 = WarpMma.LoadB(b, bOffset, bLd, lane);
        var b1 = WarpMma.LoadB(b, bOffset + (8 * bLd), bLd, lane);
        var b2 = WarpMma.LoadB(b, bOffset + (16 * bLd), bLd, lane);
        var b3 = WarpMma.LoadB(b, bOffset + (24 * bLd), bLd, lane);
        if (CudaAsm.IsSupported)
        {
            // The format is a kernel constant, so one branch survives; CudaAsm.IsSupported is only
            // folded by ptxas (a constant predicate), so it stays the outer test.
            if (tf32)
            {
                CudaAsm.Emit(Tf32Mma00, a0.R0, a0.R1, a0.R2, a0.R3, b0.R0, b0.R1);
                CudaAsm.Emit(Tf32Mma01, a0.R0, a0.R1, a0.R2, a0.R3, b1.R0, b1.R1);
                CudaAsm.Emit(Tf32Mma02, a0.R0, a0.R1, a0.R2, a0.R3, b2.R0, b2.R1);
                CudaAsm.Emit(Tf32Mma03, a0.R0, a0.R1, a0.R2, a0.R3, b3.R0, b3.R1);
                CudaAsm.Emit(Tf32Mma10, a1.R0, a1.R1, a1.R2, a1.R3, b0.R0, b0.R1);
                CudaAsm.Emit(Tf32Mma11, a1.R0, a1.R1, a1.R2, a1.R3, b1.R0, b1.R1);
                CudaAsm.Emit(Tf32Mma12, a1.R0, a1.R1, a1.R2, a1.R3, b2.R0, b2.R1);
                CudaAsm.Emit(Tf32Mma13, a1.R0, a1.R1, a1.R2, a1.R3, b3.R0, b3.R1);
            }
            else
            {
                CudaAsm.Emit(Mma00, a0.R0, a0.R1, a0.R2, a0.R3, b0.R0, b0.R1);
                CudaAsm.Emit(Mma01, a0.R0, a0.R1, a0.R2, a0.R3, b1.R0, b1.R1);
                CudaAsm.Emit(Mma02, a0.R0, a0.R1, a0.R2, a0.R3, b2.R0, b2.R1);
                CudaAsm.Emit(Mma03, a0.R0, a0.R1, a0.R2, a0.R3, b3.R0, b3.R1);
                CudaAsm.Emit(Mma10, a1.R0, a1.R1, a1.R2, a1.R3, b0.R0, b0.R1);
                CudaAsm.Emit(Mma11, a1.R0, a1.R1, a1.R2, a1.R3, b1.R0, b1.R1);
                CudaAsm.Emit(Mma12, a1.R0, a1.R1, a1.R2, a1.R3, b2.R0, b2.R1);
                CudaAsm.Emit(Mma13, a1.R0, a1.R1, a1.R2, a1.R3, b3.R0, b3.R1);
            }
        }
        else
        {
            WarpMma.Emulate(ref T00, a0, b0, lane, tf32);
            WarpMma.Emulate(ref T01, a0, b1, lane, tf32);
            WarpMma.Emulate(ref T02, a0, b2, lane, tf32);
            WarpMma.Emulate(ref T03, a0, b3, lane, tf32);
            WarpMma.Emulate(ref T10, a1, b0, lane, tf32);
            WarpMma.Emulate(ref T11, a1, b1, lane, tf32);
            WarpMma.Emulate(ref T12, a1, b2, lane, tf32);
            WarpMma.Emulate(ref T13, a1, b3, lane, tf32);
        }
    }

    /// <summary>
    /// Multiplies the lane's four rows by a factor each: <paramref name="s0"/> row g, <paramref name="s1"/>
    /// row g + 8, <paramref name="s2"/> row 16 + g, <paramref name="s3"/> row 24 + g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ScaleRows(float s0, float s1, float s2, float s3)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit(Scale, s0, s1, s2, s3);
            return;
        }
        T00.ScaleRows(s0, s1);
        T01.ScaleRows(s0, s1);
        T02.ScaleRows(s0, s1);
        T03.ScaleRows(s0, s1);
        T10.ScaleRows(s2, s3);
        T11.ScaleRows(s2, s3);
        T12.ScaleRows(s2, s3);
        T13.ScaleRows(s2, s3);
    }

    /// <summary>
    /// Hands the lane's 32 accumulators to <paramref name="sink"/> with their tile row and column, as
    /// 16 pairs of adjacent columns 2t and 2t + 1 (<see cref="IMmaSink.StorePair"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TSink>(ref TSink sink, int lane)
        where TSink : struct, IMmaSink
    {
        if (CudaAsm.IsSupported)
        {
            T00 = Read(0);
            T01 = Read(1);
            T02 = Read(2);
            T03 = Read(3);
            T10 = Read(4);
            T11 = Read(5);
            T12 = Read(6);
            T13 = Read(7);
        }
        var row = lane >> 2;
        var column = (lane & 3) * 2;
        StoreTile(ref sink, T00, row, column);
        StoreTile(ref sink, T01, row, column + 8);
        StoreTile(ref sink, T02, row, column + 16);
        StoreTile(ref sink, T03, row, column + 24);
        StoreTile(ref sink, T10, row + 16, column);
        StoreTile(ref sink, T11, row + 16, column + 8);
        StoreTile(ref sink, T12, row + 16, column + 16);
        StoreTile(ref sink, T13, row + 16, column + 24);
    }

    /// <summary>Reads tile t's four named registers (CUDA only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static MmaAccumulator Read(int t)
    {
        ulong low, high;
        switch (t)
        {
            case 0: CudaAsm.Emit("mov.b64 %0, {wga0, wga1};", out low); CudaAsm.Emit("mov.b64 %0, {wga2, wga3};", out high); break;
            case 1: CudaAsm.Emit("mov.b64 %0, {wga4, wga5};", out low); CudaAsm.Emit("mov.b64 %0, {wga6, wga7};", out high); break;
            case 2: CudaAsm.Emit("mov.b64 %0, {wga8, wga9};", out low); CudaAsm.Emit("mov.b64 %0, {wga10, wga11};", out high); break;
            case 3: CudaAsm.Emit("mov.b64 %0, {wga12, wga13};", out low); CudaAsm.Emit("mov.b64 %0, {wga14, wga15};", out high); break;
            case 4: CudaAsm.Emit("mov.b64 %0, {wga16, wga17};", out low); CudaAsm.Emit("mov.b64 %0, {wga18, wga19};", out high); break;
            case 5: CudaAsm.Emit("mov.b64 %0, {wga20, wga21};", out low); CudaAsm.Emit("mov.b64 %0, {wga22, wga23};", out high); break;
            case 6: CudaAsm.Emit("mov.b64 %0, {wga24, wga25};", out low); CudaAsm.Emit("mov.b64 %0, {wga26, wga27};", out high); break;
            default: CudaAsm.Emit("mov.b64 %0, {wga28, wga29};", out low); CudaAsm.Emit("mov.b64 %0, {wga30, wga31};", out high); break;
        }
        MmaAccumulator acc;
        acc.C0 = Interop.IntAsFloat((uint)low);
        acc.C1 = Interop.IntAsFloat((uint)(low >> 32));
        acc.C2 = Interop.IntAsFloat((uint)high);
        acc.C3 = Interop.IntAsFloat((uint)(high >> 32));
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile<TSink>(ref TSink sink, MmaAccumulator acc, int row, int column)
        where TSink : struct, IMmaSink
    {
        sink.StorePair(row, column, acc.C0, acc.C1);
        sink.StorePair(row + 8, column, acc.C2, acc.C3);
    }
}

/// <summary>Receives a warp tile's accumulators (an epilogue: masking, scaling, conversion, the global store).</summary>
internal interface IMmaSink
{
    /// <summary>Takes the value of the tile element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    void Store(int row, int column, float value);

    /// <summary>
    /// Takes the values of the adjacent elements (<paramref name="row"/>, <paramref name="column"/>) and
    /// (<paramref name="row"/>, <paramref name="column"/> + 1), <paramref name="column"/> even: the two
    /// columns one lane owns, so a sink may move them in one access.
    /// </summary>
    void StorePair(int row, int column, float first, float second);
}
