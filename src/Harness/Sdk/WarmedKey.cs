namespace WarmGate.Harness.Sdk;

/// <summary>A kernel specialization compiled during warmup, identified as events name it.</summary>
/// <param name="Runtime">The registry's runtime name.</param>
/// <param name="Kernel">The kernel id.</param>
/// <param name="Key">The compile key.</param>
/// <param name="Config">The configuration.</param>
public sealed record WarmedKey(string Runtime, string Kernel, string Key, string Config);
