using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

// The consumer side of build-time tuning: load the model, use the tuning tables the build embedded in this
// assembly (TuningTableSources.Load also reads WARMGATE_TUNING_TABLE), warm up, and print what the warmup did.
// With a table that covers every key the warmup tunes nothing and only compiles the chosen configurations.
//
// Usage: MSBuildPretuneSample [--model builtin:tiny|DIR] [--device auto|cuda|cpu] [--require-table]
//   --require-table  exit 1 unless a table was used and the warmup ran no tuning (what CI checks after
//                    a pre-tuning build).
// Exit codes: 0 done; 1 --require-table not met; 2 bad arguments.
var model = "builtin:tiny";
var device = DeviceKind.Auto;
var requireTable = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model" when i + 1 < args.Length:
            model = args[++i];
            break;
        case "--device" when i + 1 < args.Length:
            device = DeviceKindParser.Parse(args[++i]);
            break;
        case "--require-table":
            requireTable = true;
            break;
        default:
            Console.Error.WriteLine($"unexpected argument '{args[i]}'. Usage: MSBuildPretuneSample [--model builtin:tiny|DIR] [--device auto|cuda|cpu] [--require-table]");
            return 2;
    }
}

using var runtime = Mamba2Runtime.Load(model, device);
Console.WriteLine($"device: {runtime.Device.Signature}");

var tables = TuningTableSources.Load();
Console.WriteLine($"tables: {tables.Count}");
foreach (var table in tables)
{
    Console.WriteLine($"  {table.SourceOrDefault}: device {table.Device.Name}, {table.Entries.Count} entries");
}

var match = runtime.UseTables(tables);
Console.WriteLine($"table entries used: {match.Used.Count}, rejected: {match.Rejected.Count}");
foreach (var rejection in match.Rejected)
{
    Console.WriteLine($"  rejected {rejection.Entry.Kernel} [{rejection.Entry.Key}]: {rejection.Detail}");
}

var warmup = runtime.Warmup();
Console.WriteLine($"warmup: {warmup.Duration.TotalSeconds:F1} s, tuning runs: {warmup.TuningRuns}, compilations: {warmup.Compilations}");

if (requireTable && (match.Used.Count == 0 || warmup.TuningRuns > 0))
{
    Console.Error.WriteLine(match.Used.Count == 0
        ? "error: no tuning table entry applies to this device and build, so the warmup tuned. Check that the build embedded a table for this device (see the rejections above)."
        : $"error: the warmup ran {warmup.TuningRuns} tuning run(s): the embedded table does not cover every key of the warmup plan. Tune again with the same WarmGate.Kernels build.");
    return 1;
}

return 0;
