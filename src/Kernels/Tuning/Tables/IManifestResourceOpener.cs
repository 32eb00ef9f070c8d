using System.Reflection;

namespace WarmGate.Kernels.Tuning;

/// <summary>Lists and opens an assembly's manifest resources (an interface so discovery can be tested with fakes).</summary>
public interface IManifestResourceOpener
{
    /// <summary>The names of the assembly's manifest resources.</summary>
    IEnumerable<string> GetNames(Assembly assembly);

    /// <summary>Opens a manifest resource, or returns null when it cannot be opened.</summary>
    Stream? Open(Assembly assembly, string name);
}

/// <summary>Opens manifest resources through <see cref="Assembly.GetManifestResourceStream(string)"/>.</summary>
public sealed class ManifestResourceOpener : IManifestResourceOpener
{
    /// <summary>The one instance.</summary>
    public static ManifestResourceOpener Instance { get; } = new();

    private ManifestResourceOpener()
    {
    }

    /// <inheritdoc/>
    public IEnumerable<string> GetNames(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceNames();
    }

    /// <inheritdoc/>
    public Stream? Open(Assembly assembly, string name)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceStream(name);
    }
}
