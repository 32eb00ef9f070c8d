using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Ssd;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Harness.Tests;

/// <summary>Tuning tables and model folders for the Mamba2 target tests.</summary>
internal static class TestTables
{
    /// <summary>
    /// The tiny model's two SSD prefill keys on this machine's CPU accelerator, both set to the
    /// second candidate (quick tuning would pick the first): the linear keys are left to warmup.
    /// </summary>
    public static TuningTable ForThisCpu()
    {
        DeviceSignature signature;
        using (var device = DeviceSelector.Open(DeviceKind.Cpu))
            signature = device.Signature;
        var builder = new TuningTableBuilder(signature);
        foreach (var (kernel, key) in WarmupPlan.For(BuiltinModels.TinyConfig, cuda: false).TunedKeys.Where(k => k.Kernel == KernelCatalog.SsdPrefill))
            builder.Add(kernel, KernelCatalog.SsdPrefillHash, key, SecondSsdCandidate, 1.0);
        return builder.Build();
    }

    /// <summary>The SSD configuration the table above chooses.</summary>
    public static string SecondSsdCandidate => SsdPrefillConfig.Candidates(false)[1].ToString();

    /// <summary>A checkpoint folder whose config.json is cut off.</summary>
    public static string BrokenCheckpoint(string parent)
    {
        var model = Path.Combine(parent, "broken-model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{ \"hidden_size\": 32, ");
        return model;
    }
}
