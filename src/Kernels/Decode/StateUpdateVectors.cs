using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Half = ILGPU.Half;

namespace WarmGate.Kernels.Decode;

/// <summary>Four fp32 values: one 16-byte vector of state, B or C.</summary>
internal struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;
}

/// <summary>Four fp16 values: one 8-byte vector of fp16 state.</summary>
internal struct Half4
{
    public Half X;
    public Half Y;
    public Half Z;
    public Half W;
}

/// <summary>Loads and stores 4 consecutive state elements as one vector, widened to fp32.</summary>
/// <typeparam name="TState">The state's storage type.</typeparam>
internal interface IStateVectors<TState>
    where TState : unmanaged
{
    /// <summary>The alignment in bytes a state view needs for these vectors.</summary>
    int Alignment { get; }

    /// <summary>Elements <c>4·vector .. 4·vector + 3</c>; <paramref name="address"/> is the device address of <paramref name="state"/>'s first element (inline PTX needs it).</summary>
    Float4 Load(ArrayView<TState> state, long address, long vector);

    /// <summary>Rounds and stores elements <c>4·vector .. 4·vector + 3</c>.</summary>
    void Store(ArrayView<TState> state, long address, long vector, Float4 value);
}

/// <summary>fp32 state: one 16-byte load or store per vector.</summary>
internal readonly struct F32Vectors : IStateVectors<float>
{
    public int Alignment => 16;

    public Float4 Load(ArrayView<float> state, long address, long vector) => state.Cast<Float4>().AsAligned(16)[vector];

    public void Store(ArrayView<float> state, long address, long vector, Float4 value) => state.Cast<Float4>().AsAligned(16)[vector] = value;
}

/// <summary>fp16 state: one 8-byte load or store per vector.</summary>
internal readonly struct F16Vectors : IStateVectors<Half>
{
    public int Alignment => 8;

    public Float4 Load(ArrayView<Half> state, long address, long vector)
    {
        var h = state.Cast<Half4>().AsAligned(8)[vector];
        return new Float4 { X = (float)h.X, Y = (float)h.Y, Z = (float)h.Z, W = (float)h.W };
    }

    public void Store(ArrayView<Half> state, long address, long vector, Float4 value) =>
        state.Cast<Half4>().AsAligned(8)[vector] = new Half4
        {
            X = (Half)value.X, Y = (Half)value.Y, Z = (Half)value.Z, W = (Half)value.W,
        };
}


/// <summary>
/// fp32 state whose stores carry the streaming hint on CUDA: <c>st.global.cs</c> (evict first:
/// the updated state is not read again this step, so it should not push anything else out of L2).
/// Loads are plain (an inline-PTX load returns its values through local memory in ILGPU 1.5.3),
/// and elsewhere (the CPU accelerator) the stores are plain too, as <see cref="F32Vectors"/>.
/// </summary>
internal readonly struct F32StreamingVectors : IStateVectors<float>
{
    public int Alignment => 16;

    public Float4 Load(ArrayView<float> state, long address, long vector) => state.Cast<Float4>().AsAligned(16)[vector];

    public void Store(ArrayView<float> state, long address, long vector, Float4 value)
    {
        if (!CudaAsm.IsSupported)
        {
            state.Cast<Float4>().AsAligned(16)[vector] = value;
            return;
        }
        // Inputs by value: no local-memory round trip (EmitRef would take each operand's address).
        CudaAsm.Emit("st.global.cs.v4.f32 [%0], {%1,%2,%3,%4};", address + (vector * 16), value.X, value.Y, value.Z, value.W);
    }
}

/// <summary>
/// Up to eight 4-element state vectors of one lane, held in registers (fields, not an array, so
/// nothing spills to local memory): <c>V0..V(count-1)</c> are vectors <c>at, at + stride, ...</c>.
/// </summary>
internal struct StateVectorSet
{
    public Float4 V0;
    public Float4 V1;
    public Float4 V2;
    public Float4 V3;
    public Float4 V4;
    public Float4 V5;
    public Float4 V6;
    public Float4 V7;
}

/// <summary>Loads and updates a <see cref="StateVectorSet"/>; <c>count</c> is 1, 2, 4 or 8 (a constant after folding).</summary>
internal static class StateVectorSets
{
    /// <summary>Issues the loads of vectors <c>at, at + stride, ...</c> back to back.</summary>
    public static void Load<TState, TStateVec>(ArrayView<TState> state, long address, TStateVec vec, long at, int stride, int count, ref StateVectorSet s)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
    {
        s.V0 = vec.Load(state, address, at);
        if (count > 1) s.V1 = vec.Load(state, address, at + stride);
        if (count > 2)
        {
            s.V2 = vec.Load(state, address, at + (2 * stride));
            s.V3 = vec.Load(state, address, at + (3 * stride));
        }
        if (count > 4)
        {
            s.V4 = vec.Load(state, address, at + (4 * stride));
            s.V5 = vec.Load(state, address, at + (5 * stride));
            s.V6 = vec.Load(state, address, at + (6 * stride));
            s.V7 = vec.Load(state, address, at + (7 * stride));
        }
    }

    /// <summary>
    /// Updates the set (vectors <c>v, v + stride, ...</c> of the row starting at vector <paramref name="row"/>)
    /// with B and C vectors <paramref name="b4"/>/<paramref name="c4"/> at the same positions, stores
    /// them when <paramref name="store"/>, and returns their <c>Σ state·C</c>.
    /// </summary>
    public static float Update<TState, TStateVec>(
        ArrayView<TState> state, long address, TStateVec vec, bool store, long row, int v, int stride, int count, ref StateVectorSet s,
        ArrayView<Float4> b4, ArrayView<Float4> c4, float dA, float dtx)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
    {
        var acc = One(state, address, vec, store, row + v, ref s.V0, b4[v], c4[v], dA, dtx);
        if (count > 1)
        {
            var v1 = v + stride;
            acc += One(state, address, vec, store, row + v1, ref s.V1, b4[v1], c4[v1], dA, dtx);
        }
        if (count > 2)
        {
            int v2 = v + (2 * stride), v3 = v + (3 * stride);
            acc += One(state, address, vec, store, row + v2, ref s.V2, b4[v2], c4[v2], dA, dtx);
            acc += One(state, address, vec, store, row + v3, ref s.V3, b4[v3], c4[v3], dA, dtx);
        }
        if (count > 4)
        {
            int v4 = v + (4 * stride), v5 = v + (5 * stride), v6 = v + (6 * stride), v7 = v + (7 * stride);
            acc += One(state, address, vec, store, row + v4, ref s.V4, b4[v4], c4[v4], dA, dtx);
            acc += One(state, address, vec, store, row + v5, ref s.V5, b4[v5], c4[v5], dA, dtx);
            acc += One(state, address, vec, store, row + v6, ref s.V6, b4[v6], c4[v6], dA, dtx);
            acc += One(state, address, vec, store, row + v7, ref s.V7, b4[v7], c4[v7], dA, dtx);
        }
        return acc;
    }

    /// <summary>Vectors a lane loads per pass: the row's vectors per lane, capped at <paramref name="perPass"/> (1 when the row has none).</summary>
    public static int PerPass(int vectors, int perPass) => vectors < 1 ? 1 : vectors < perPass ? vectors : perPass;

    /// <summary><c>s ← s·dA + dtx·B</c>, stored back when <paramref name="store"/>; returns <c>s·C</c>.</summary>
    private static float One<TState, TStateVec>(
        ArrayView<TState> state, long address, TStateVec vec, bool store, long at, ref Float4 s, Float4 b, Float4 c, float dA, float dtx)
        where TState : unmanaged
        where TStateVec : struct, IStateVectors<TState>
    {
        s.X = (s.X * dA) + (dtx * b.X);
        s.Y = (s.Y * dA) + (dtx * b.Y);
        s.Z = (s.Z * dA) + (dtx * b.Z);
        s.W = (s.W * dA) + (dtx * b.W);
        if (store) vec.Store(state, address, at, s);
        return (s.X * c.X) + (s.Y * c.Y) + (s.Z * c.Z) + (s.W * c.W);
    }
}
