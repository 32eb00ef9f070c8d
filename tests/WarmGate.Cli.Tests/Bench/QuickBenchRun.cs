using System.Text.Json;

namespace WarmGate.Cli.Tests.Bench;

/// <summary>One in-process <c>warmgate bench --quick --device cpu --out FILE</c>, shared by the tests that read its output.</summary>
public sealed class QuickBenchRun : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("warmgate-bench-").FullName;

    public QuickBenchRun()
    {
        OutFile = Path.Combine(dir, "bench.jsonl");
        (ExitCode, Output, Error) = CliRunner.Run("bench", "--quick", "--device", "cpu", "--out", OutFile);
        Lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToArray();
    }

    public int ExitCode { get; }

    public string Output { get; }

    public string Error { get; }

    public string OutFile { get; }

    public IReadOnlyList<JsonElement> Lines { get; }

    public IReadOnlyList<JsonElement> Of(string bench) =>
        Lines.Where(l => l.GetProperty("bench").GetString() == bench).ToArray();

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
