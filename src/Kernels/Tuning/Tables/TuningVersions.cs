using System.Reflection;

namespace WarmGate.Kernels.Tuning;

/// <summary>The versions a tuning table records and is matched against.</summary>
public static class TuningVersions
{
    /// <summary>The table format version this code reads and writes.</summary>
    public const int CurrentSchema = 1;

    /// <summary>The version of the ILGPU assembly loaded now, e.g. <c>1.5.3</c>.</summary>
    public static string Ilgpu { get; } = VersionOf(typeof(ILGPU.Context).Assembly);

    /// <summary>The version of WarmGate.Kernels loaded now, e.g. <c>0.1.0</c>.</summary>
    public static string WarmGate { get; } = VersionOf(typeof(TuningVersions).Assembly);

    /// <summary>
    /// An assembly's informational version without its source revision (<c>1.5.3+2efd94</c>
    /// gives <c>1.5.3</c>), else its assembly version.
    /// </summary>
    public static string VersionOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
        return assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
