using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>Reads an assembly's embedded manifest resources from its metadata, without loading it.</summary>
internal static class ManifestResources
{
    public static IReadOnlyDictionary<string, byte[]> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
            ?? throw new InvalidOperationException($"'{assemblyPath}' is not a .NET assembly.");
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil)
            {
                continue; // lives in another file, not embedded
            }

            var section = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            resources[metadata.GetString(resource.Name)] = reader.ReadBytes(length);
        }

        return resources;
    }
}
