using WarmGate.Kernels.Runtime;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Ties launches (<see cref="RecordedUse"/>) to the compiled kernels they ran, so the report can
/// say which warmed keys the tests used. A launch names its runtime, kernel, key and config; it
/// belongs to the compiled kernel of the same runtime and kernel with the same key and config,
/// or, when that kernel id was compiled only once in that runtime, to that one (some kernels
/// report a launch with the caller's key or none at all, while one compiled kernel serves
/// several keys). Otherwise the launch could have run any of the kernel's compiled keys: each
/// warmed one counts it as a possible use, never a certain one.
/// </summary>
internal static class WarmedKeyUsage
{
    /// <summary>The tests that certainly and possibly launched each compiled key.</summary>
    /// <param name="events">Every recorded event (compiles of every phase are the candidates).</param>
    /// <param name="uses">The launches made in tests.</param>
    public static (Dictionary<WarmedKey, SortedSet<string>> Used, Dictionary<WarmedKey, SortedSet<string>> Possible) Resolve(
        IReadOnlyList<RecordedEvent> events, IReadOnlyList<RecordedUse> uses)
    {
        var compiled = events
            .Where(r => r.Event.Kind == KernelEventKind.Compiled)
            .Select(r => new WarmedKey(r.Event.Runtime, r.Event.Kernel, r.Event.Key, r.Event.Config))
            .Distinct()
            .GroupBy(k => (k.Runtime, k.Kernel))
            .ToDictionary(g => g.Key, g => g.ToList());
        var used = new Dictionary<WarmedKey, SortedSet<string>>();
        var possible = new Dictionary<WarmedKey, SortedSet<string>>();
        foreach (var use in uses)
        {
            // A launch of a kernel compiled before the session listened has nothing to tie to.
            if (!compiled.TryGetValue((use.Launch.Runtime, use.Launch.Kernel), out var candidates)) continue;
            if (candidates.Contains(use.Launch))
                Add(used, use.Launch, use.Tests);
            else if (candidates.Count == 1)
                Add(used, candidates[0], use.Tests);
            else
                candidates.ForEach(c => Add(possible, c, use.Tests));
        }
        return (used, possible);
    }

    private static void Add(Dictionary<WarmedKey, SortedSet<string>> to, WarmedKey key, IEnumerable<string> tests)
    {
        if (!to.TryGetValue(key, out var set))
            to[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.UnionWith(tests);
    }
}
