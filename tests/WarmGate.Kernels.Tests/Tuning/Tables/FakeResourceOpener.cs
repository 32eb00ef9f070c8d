using System.Reflection;
using System.Text;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Tests.Tuning.Tables;

/// <summary>Resources held in memory per assembly; a null content is listed but cannot be opened.</summary>
internal sealed class FakeResourceOpener : IManifestResourceOpener
{
    private readonly Dictionary<Assembly, Dictionary<string, string?>> resources = [];

    public List<(Assembly Assembly, string Name)> Opened { get; } = [];

    public FakeResourceOpener Add(Assembly assembly, string name, string? content)
    {
        if (!resources.TryGetValue(assembly, out var names))
            resources[assembly] = names = [];
        names[name] = content;
        return this;
    }

    public IEnumerable<string> GetNames(Assembly assembly) =>
        assembly.IsDynamic
            ? throw new InvalidOperationException("a dynamic assembly must be skipped")
            : resources.TryGetValue(assembly, out var names) ? names.Keys : [];

    public Stream? Open(Assembly assembly, string name)
    {
        Opened.Add((assembly, name));
        var content = resources[assembly][name];
        return content is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(content));
    }
}
