using WarmGate.Kernels.Devices;

namespace WarmGate.Kernels.Tuning;

/// <summary>The validity rules of a table, shared by <see cref="TuningTable"/> and the reader.</summary>
internal static class TuningTableRules
{
    internal readonly record struct Problem(TuningTableError Code, string Message);

    public static Problem? HeaderProblem(DeviceSignature device, string ilgpuVersion, string warmGateVersion, int schemaVersion)
    {
        if (schemaVersion > TuningVersions.CurrentSchema)
            return new(TuningTableError.NewerSchema,
                $"schemaVersion {schemaVersion} was written by a newer WarmGate (this one reads up to {TuningVersions.CurrentSchema}); upgrade WarmGate or re-tune");
        if (schemaVersion < 1)
            return new(TuningTableError.InvalidValue, $"schemaVersion {schemaVersion} is not a valid version (the first is 1)");
        if (device.Backend.Length == 0) return new(TuningTableError.EmptyValue, "'device.backend' is empty");
        if (device.Name.Length == 0) return new(TuningTableError.EmptyValue, "'device.name' is empty");
        if (device.Architecture.Length == 0) return new(TuningTableError.EmptyValue, "'device.architecture' is empty");
        if (device.Multiprocessors <= 0)
            return new(TuningTableError.InvalidValue, $"'device.multiprocessors' is {device.Multiprocessors}; it must be positive");
        if (ilgpuVersion.Length == 0) return new(TuningTableError.EmptyValue, "'ilgpuVersion' is empty");
        if (warmGateVersion.Length == 0) return new(TuningTableError.EmptyValue, "'warmGateVersion' is empty");
        return null;
    }

    public static Problem? EntriesProblem(IReadOnlyList<TuningEntry?> entries)
    {
        var seen = new Dictionary<TuningEntryKey, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null) return new(TuningTableError.MissingField, $"entries[{i}] is null");
            if (entry.Check() is { } problem)
                return problem with { Message = $"entries[{i}] ({entry.Id}): {problem.Message}" };
            if (seen.TryGetValue(entry.Id, out var first))
                return new(TuningTableError.DuplicateEntry,
                    $"entries[{first}] and entries[{i}] are both for kernel '{entry.Kernel}' key '{entry.Key}'; a table holds one entry per (kernel, key)");
            seen.Add(entry.Id, i);
        }
        return null;
    }
}
