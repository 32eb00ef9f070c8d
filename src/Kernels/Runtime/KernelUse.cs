namespace WarmGate.Kernels.Runtime;

/// <summary>A launch of an already compiled kernel (see <see cref="KernelEvents.SubscribeUse"/>).</summary>
/// <param name="Runtime">The registry's runtime name.</param>
/// <param name="Kernel">The kernel id.</param>
/// <param name="Key">The compile key.</param>
/// <param name="Config">The configuration.</param>
/// <param name="Phase">The phase at launch.</param>
/// <param name="Scope">The ambient scope (the running test), or null.</param>
public sealed record KernelUse(string Runtime, string Kernel, string Key, string Config, KernelPhase Phase, string? Scope);
