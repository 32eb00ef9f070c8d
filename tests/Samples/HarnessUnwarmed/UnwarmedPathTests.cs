using WarmGate.Harness;
using WarmGate.Kernels.Numerics;
using WarmGate.Samples;
using Xunit;

namespace HarnessUnwarmed;

public sealed class UnwarmedPathTests(Mamba2Fixture model)
{
    [Fact]
    public async Task Unwarmed_path_fails_this_test()
    {
        // fp16 inputs: the model warms fp32 only. The compile happens on a thread-pool thread: the test's scope flows there.
        var error = await Task.Run(() => SsdOnTheModel.RelativeError(model.Runtime, Dtype.F16, Dtype.F32));
        Assert.InRange(error, 0, 2e-2);
    }

    [Fact]
    [WarmGateMode(GateMode.Warn)]
    public void Unwarmed_path_in_warn_mode_passes() =>
        Assert.InRange(SsdOnTheModel.RelativeError(model.Runtime, Dtype.F32, Dtype.F16), 0, 2e-2);

    [Fact]
    [WarmGateMode(GateMode.Off)]
    public void Unwarmed_path_in_off_mode_passes() =>
        Assert.InRange(SsdOnTheModel.RelativeError(model.Runtime, Dtype.F16, Dtype.F16), 0, 2e-2);

    // Rows found at run time (one test case, several results): each row is gated on its own.
    public static TheoryData<string> Requests => ["model prefill", "fp32 SSD gated by z"];

    [Theory]
    [MemberData(nameof(Requests), DisableDiscoveryEnumeration = true)]
    public void Theory_rows_are_gated_one_by_one(string request)
    {
        if (request == "model prefill")
        {
            using var cache = model.Runtime.CreateCache(1);
            Assert.Equal(model.Runtime.Config.VocabSize, model.Runtime.Prefill([[1, 2, 3, 4]], cache)[0].Length);
        }
        else
            Assert.InRange(SsdOnTheModel.RelativeError(model.Runtime, Dtype.F32, Dtype.F32, gateWithZ: true), 0, 1e-4);
    }
}
