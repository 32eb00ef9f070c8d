using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ssd;

/// <summary>
/// The device entry point with Mamba2's real layout: x, B and C are views into one conv output
/// of width H·P + 2·G·N per token, and dt is a column slice of a wider projection.
/// </summary>
[Collection(SsdCpuCollection.Name)]
public sealed class SsdConvLayoutTests(SsdCpuFixture fixture)
{
    [Fact]
    public void X_B_and_C_as_views_of_one_conv_output()
    {
        var shape = new SsdShape(4, 4, 2, 4);
        var options = new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, HasInitialStates = true };
        int[] lengths = [7, 12];
        var dense = SsdHostInputs.Random(shape, options, lengths, seed: 21);
        int tokens = dense.Tokens, hp = shape.HeadWidth, gn = shape.GroupWidth, width = hp + (2 * gn);
        const int dtStride = 9; // dt is 4 columns of a 9-wide projection row

        // Pack x | B | C per token into one conv row, and dt into a wider projection row.
        var conv = new float[tokens * width];
        var projection = Enumerable.Repeat(float.NaN, tokens * dtStride).ToArray();
        for (var t = 0; t < tokens; t++)
        {
            Array.Copy(dense.X, t * hp, conv, t * width, hp);
            Array.Copy(dense.B, t * gn, conv, (t * width) + hp, gn);
            Array.Copy(dense.C, t * gn, conv, (t * width) + hp + gn, gn);
            Array.Copy(dense.Dt, t * shape.Heads, projection, (t * dtStride) + 2, shape.Heads);
        }

        var accelerator = fixture.Device.Accelerator;
        using var convBuffer = accelerator.Allocate1D(conv);
        using var projectionBuffer = accelerator.Allocate1D(projection);
        using var a = accelerator.Allocate1D(dense.A);
        using var bias = accelerator.Allocate1D(dense.DtBias!);
        using var d = accelerator.Allocate1D(dense.D!);
        using var init = accelerator.Allocate1D(dense.InitialStates!);
        using var y = accelerator.Allocate1D<float>(tokens * hp);
        using var final = accelerator.Allocate1D<float>(lengths.Length * shape.StatePerSequence);
        ArrayView<float> convView = convBuffer.View;
        ArrayView<float> projectionView = projectionBuffer.View;
        var args = new SsdPrefillArgs<float, float>
        {
            Tokens = tokens,
            CuSeqlens = dense.CuSeqlens,
            X = convView,
            XStride = width,
            B = convView.SubView(hp),
            BStride = width,
            C = convView.SubView(hp + gn),
            CStride = width,
            Dt = projectionView.SubView(2),
            DtStride = dtStride,
            A = a.View,
            DtBias = bias.View,
            D = d.View,
            InitialStates = init.View,
            Y = y.View,
            FinalStates = final.View,
        };
        fixture.Prefill.Run(accelerator.DefaultStream, shape, options, SsdPrefillConfig.Default(cuda: false), args);
        accelerator.Synchronize();

        var expected = SsdReference.Recurrence(dense, shape, options);
        SsdAssert.Close(y.GetAsArray1D(), expected.Y, SsdAssert.F32, "y from conv-output views");
        SsdAssert.Close(final.GetAsArray1D(), expected.FinalStates, SsdAssert.F32, "final states from conv-output views");
    }
}
