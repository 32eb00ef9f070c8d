namespace WarmGate.Harness;

/// <summary>A tuning table a target used during load and warmup, as listed in the report.</summary>
/// <param name="Source">Where it came from: a file path, a manifest resource name, or <c>warmup tuning</c>.</param>
/// <param name="Origin">Which source rule picked it, e.g. <c>WARMGATE_TUNING_TABLE</c>, <c>embedded</c>, <c>tuned at warmup</c>.</param>
/// <param name="Description">Free text: device, entries used and rejected, versions.</param>
public sealed record TuningTableUse(string Source, string Origin, string Description = "");
