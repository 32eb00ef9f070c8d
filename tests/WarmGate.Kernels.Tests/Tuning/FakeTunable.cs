using System.Diagnostics.CodeAnalysis;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning;

/// <summary>A tunable whose candidates cost what the test says, with no kernel behind it.</summary>
internal sealed class FakeTunable(string key, params string[] candidates) : ITunable
{
    public string KernelId { get; init; } = "fake.kernel";

    public string Key => key;

    public string KernelHash { get; init; } = "hash-1";

    public IReadOnlyList<string> Candidates => candidates;

    public HashSet<string> Unrunnable { get; } = [];

    public HashSet<string> Crashing { get; } = [];

    public List<string> Runs { get; } = [];

    public bool CanRun(string config, out string reason)
    {
        reason = Unrunnable.Contains(config) ? "needs more shared memory than the device has" : string.Empty;
        return reason.Length == 0;
    }

    public void Run(string config)
    {
        lock (Runs) Runs.Add(config);
        if (Crashing.Contains(config))
            throw new InvalidOperationException("kernel launch failed");
    }
}

/// <summary>A timer that answers from a table and still runs each candidate once.</summary>
internal sealed class TableTimer(Dictionary<string, double> times) : ICandidateTimer
{
    public double MedianMilliseconds(string config, Action run, int warmups, int repetitions)
    {
        run();
        return times[config];
    }
}

internal sealed class FixedSource(TuningEntry choice, string origin = "test-table.json") : ITuningSource
{
    public bool TryGet(string kernel, string key, [NotNullWhen(true)] out TuningEntry? found, out string source)
    {
        found = choice;
        source = origin;
        return kernel == choice.Kernel && key == choice.Key;
    }
}
