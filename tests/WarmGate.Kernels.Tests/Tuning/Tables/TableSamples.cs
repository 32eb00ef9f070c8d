using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

/// <summary>Devices, entries and tables the table tests share.</summary>
internal static class TableSamples
{
    public static readonly DeviceSignature H200 = new("Cuda", "NVIDIA H200", "SM_90", 132, "12.8");
    public static readonly DeviceSignature H200OtherDriver = H200 with { Driver = "12.9" };
    public static readonly DeviceSignature H100 = new("Cuda", "NVIDIA H100 80GB HBM3", "SM_90", 132, "12.4");
    public static readonly DeviceSignature Cpu = new("CPU", "CPUAccelerator", "cpu", 2, string.Empty);

    public static readonly DateTimeOffset Created = new(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);

    public static TuningEntry Prefill(string key = "P=64,N=128,Q=256,G=1,T=f16", string config = "BP=16,BN=64", double ms = 0.125, string hash = "hash-prefill") =>
        new("ssd.prefill", hash, key, config, ms,
        [
            new CandidateTiming("BP=16,BN=64", config == "BP=16,BN=64" ? ms : 0.2),
            new CandidateTiming("BP=32,BN=64", config == "BP=32,BN=64" ? ms : 0.15),
            new CandidateTiming("BP=64,BN=128", double.NaN, "needs 80 KiB shared memory"),
        ]);

    public static TuningEntry DecodeEntry(string key = "P=64,N=128,T=f16", string config = "B=128", double ms = 0.01, string hash = "hash-decode") =>
        new("ssd.decode", hash, key, config, ms, [new CandidateTiming("B=128", ms), new CandidateTiming("B=256", ms * 1.5)]);

    public static TuningTable Table(DeviceSignature? device = null, string ilgpu = "1.5.3", params TuningEntry[] entries) =>
        new(device ?? H200, ilgpu, "0.1.0", Created, entries.Length == 0 ? [Prefill(), DecodeEntry()] : entries);

    public static IReadOnlyDictionary<string, string> Hashes => new Dictionary<string, string>
    {
        ["ssd.prefill"] = "hash-prefill",
        ["ssd.decode"] = "hash-decode",
    };

    /// <summary>A valid table as JSON, for the reader tests to corrupt.</summary>
    public const string ValidJson = """
        {
          "schemaVersion": 1,
          "device": {
            "backend": "Cuda",
            "name": "NVIDIA H200",
            "architecture": "SM_90",
            "multiprocessors": 132,
            "driver": "12.8"
          },
          "ilgpuVersion": "1.5.3",
          "warmGateVersion": "0.1.0",
          "createdUtc": "2025-01-31T12:00:00Z",
          "entries": [
            {
              "kernel": "ssd.prefill",
              "kernelHash": "hash-prefill",
              "key": "P=64,N=128,Q=256,G=1,T=f16",
              "config": "BP=16,BN=64",
              "milliseconds": 0.125,
              "candidates": [
                { "config": "BP=16,BN=64", "milliseconds": 0.125 },
                { "config": "BP=64,BN=128", "milliseconds": null, "note": "needs 80 KiB shared memory" }
              ]
            }
          ]
        }
        """;
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "warmgate-tables-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Files() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
