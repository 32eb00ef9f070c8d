using System.Reflection;
using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Finds the tuning tables that apply at start-up, highest precedence first: (1) the file named
/// by <c>WARMGATE_TUNING_TABLE</c>; (2) manifest resources named <c>WarmGate.Tuning.*.json</c>
/// in the given assemblies. Earlier tables win per (kernel, key) when matched
/// (<see cref="TableMatcher.Match(IEnumerable{TuningTable}, Runtime.KernelPhase)"/>). No table
/// at all is fine (tuning then happens during warmup); a corrupt one is an error.
/// </summary>
public static class TuningTableSources
{
    /// <summary>The environment variable naming a table file that overrides embedded tables.</summary>
    public const string EnvironmentVariable = "WARMGATE_TUNING_TABLE";

    /// <summary>The start of the manifest resource name of an embedded table.</summary>
    public const string ResourcePrefix = "WarmGate.Tuning.";

    /// <summary>The end of the manifest resource name of an embedded table.</summary>
    public const string ResourceSuffix = ".json";

    /// <summary>Whether a manifest resource name is that of an embedded table (<c>WarmGate.Tuning.*.json</c>, ordinal).</summary>
    public static bool IsTableResource(string name) =>
        name is not null
        && name.Length > ResourcePrefix.Length + ResourceSuffix.Length
        && name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
        && name.EndsWith(ResourceSuffix, StringComparison.Ordinal);

    /// <summary>The conventional resource name for a device's table, e.g. <c>WarmGate.Tuning.NVIDIA-H200.json</c>.</summary>
    public static string ResourceNameFor(DeviceSignature device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ResourcePrefix + device.Slug + ResourceSuffix;
    }

    /// <summary>How a resource is named in messages and <see cref="TuningTable.Source"/>.</summary>
    public static string DescribeResource(Assembly assembly, string name)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return $"resource '{name}' in assembly '{assembly.GetName().Name}'";
    }

    /// <summary>
    /// Loads every table from the environment variable and from the assemblies loaded in the
    /// current application domain (the entry assembly first, dynamic ones skipped).
    /// </summary>
    /// <exception cref="TuningTableException">A table source is set or present but missing or corrupt.</exception>
    public static IReadOnlyList<TuningTable> Load() => Load(LoadedAssemblies());

    /// <summary>Loads every table, highest precedence first.</summary>
    /// <param name="assemblies">The assemblies to search for embedded tables, in precedence order; dynamic ones are skipped.</param>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="opener">Lists and opens resources; default <see cref="ManifestResourceOpener.Instance"/>.</param>
    /// <returns>The tables found, each with its <see cref="TuningTable.Source"/>; empty when there are none.</returns>
    /// <exception cref="TuningTableException">A table source is set or present but missing or corrupt.</exception>
    public static IReadOnlyList<TuningTable> Load(
        IEnumerable<Assembly> assemblies,
        Func<string, string?>? environment = null,
        IManifestResourceOpener? opener = null)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var tables = new List<TuningTable>();
        if (FromEnvironment(environment) is { } fromFile)
            tables.Add(fromFile);
        tables.AddRange(FromResources(assemblies, opener));
        return tables;
    }

    /// <summary>
    /// Reads the table named by <c>WARMGATE_TUNING_TABLE</c>, or returns null when the variable
    /// is unset or empty. Its source reads <c>&lt;full path&gt; (WARMGATE_TUNING_TABLE)</c>.
    /// </summary>
    /// <exception cref="TuningTableException">The variable names a file that does not exist, cannot be read or is not a valid table.</exception>
    public static TuningTable? FromEnvironment(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var full = Path.GetFullPath(value.Trim());
        var source = $"{full} ({EnvironmentVariable})";
        if (!File.Exists(full))
            throw new TuningTableException(source, TuningTableError.FileNotFound,
                $"{EnvironmentVariable} is set to '{value}' but there is no file at {full}; point it at a table file or unset it");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TuningTableException(source, TuningTableError.IoFailed, $"could not read the file named by {EnvironmentVariable}: {e.Message}", e);
        }
        return TuningTableReader.Parse(bytes, source);
    }

    /// <summary>
    /// Reads every embedded table (<c>WarmGate.Tuning.*.json</c>) in the assemblies, in
    /// assembly order, then resource name order (ordinal) within an assembly.
    /// </summary>
    /// <param name="assemblies">The assemblies to search; dynamic ones are skipped.</param>
    /// <param name="opener">Lists and opens resources; default <see cref="ManifestResourceOpener.Instance"/>.</param>
    /// <exception cref="TuningTableException">A table resource cannot be opened or is not a valid table; the message names the resource and assembly.</exception>
    public static IReadOnlyList<TuningTable> FromResources(IEnumerable<Assembly> assemblies, IManifestResourceOpener? opener = null)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        opener ??= ManifestResourceOpener.Instance;
        var tables = new List<TuningTable>();
        foreach (var assembly in assemblies.Distinct())
        {
            if (assembly is null || assembly.IsDynamic) continue;
            var names = opener.GetNames(assembly).Where(IsTableResource).Order(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                var source = DescribeResource(assembly, name);
                using var stream = opener.Open(assembly, name)
                    ?? throw new TuningTableException(source, TuningTableError.IoFailed, "the resource is listed but could not be opened");
                tables.Add(TuningTableReader.Read(stream, source));
            }
        }
        return tables;
    }

    /// <summary>The assemblies of the current application domain, entry assembly first, without dynamic ones.</summary>
    public static IReadOnlyList<Assembly> LoadedAssemblies()
    {
        var entry = Assembly.GetEntryAssembly();
        var all = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a != entry);
        return entry is null || entry.IsDynamic ? [.. all] : [entry, .. all];
    }
}
