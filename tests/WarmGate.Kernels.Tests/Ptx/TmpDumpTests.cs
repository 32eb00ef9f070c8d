using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Ssd;

namespace WarmGate.Kernels.Tests.Ptx;

public sealed class TmpDumpTests
{
    [Fact]
    public void Dump()
    {
        var dir = Environment.GetEnvironmentVariable("PTX_DUMP");
        if (dir is null) return;
        Directory.CreateDirectory(dir);
        using var compiler = new PtxCompiler();
        var options = new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, InputDtype = Environment.GetEnvironmentVariable("PTX_F32") is null ? Dtype.F16 : Dtype.F32, StateDtype = Dtype.F32 };
        var config = SsdPrefillConfig.Parse("Q=128,CH=32,SP=64,SN=128,PB=256,BI=64,BJ=64,YT=128,YP=64,TC=1");
        var plan = new SsdKernelPlan(new SsdShape(80, 64, 1, 128), options, config);
        foreach (var (name, k) in new[] { ("state", plan.ChunkState), ("bmm", plan.Bmm), ("scan", plan.ChunkScan), ("passing", plan.StatePassing), ("cumsum", plan.Cumsum) })
            File.WriteAllText(Path.Combine(dir, name + ".ptx"), compiler.Compile(k));
    }
}

public sealed class TmpProfileTests
{
    [Fact]
    public void Profile()
    {
        var which = Environment.GetEnvironmentVariable("PROFILE_DTYPE");
        if (which is null) return;
        using var device = WarmGate.Kernels.Devices.DeviceSelector.Open(WarmGate.Kernels.Devices.DeviceKind.Cuda);
        using var registry = new WarmGate.Kernels.Runtime.KernelRegistry(device.Accelerator, "profile");
        using var prefill = new SsdPrefill(registry);
        var options = new SsdOptions { DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead, InputDtype = which == "f32" ? Dtype.F32 : Dtype.F16, StateDtype = Dtype.F32 };
        var shape = new SsdShape(80, 64, 1, 128);
        var inputs = SsdHostInputs.Random(shape, options, [8192], 3);
        var config = SsdPrefillConfig.Parse(Environment.GetEnvironmentVariable("PROFILE_CONFIG") ?? "Q=128,CH=32,SP=64,SN=128,PB=256,BI=64,BJ=64,YT=64,YP=64,TC=1");
        prefill.Run(inputs, shape, options, config);
        prefill.Run(inputs, shape, options, config);
    }
}
