using System.Text.Json;

// Lists the tuning tables embedded at build time and the device each was tuned on.
var assembly = typeof(Program).Assembly;
var tables = assembly.GetManifestResourceNames()
    .Where(name => name.StartsWith("WarmGate.Tuning.", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal)
    .ToList();
if (tables.Count == 0)
{
    Console.WriteLine("no tuning table embedded: kernels will be tuned at warmup");
    return 0;
}

foreach (var name in tables)
{
    using var stream = assembly.GetManifestResourceStream(name)!;
    using var table = JsonDocument.Parse(stream);
    var device = table.RootElement.TryGetProperty("device", out var d) && d.TryGetProperty("name", out var n) ? n.GetString() : "?";
    Console.WriteLine($"{name}: schemaVersion {table.RootElement.GetProperty("schemaVersion")}, device {device}");
}

return 0;
