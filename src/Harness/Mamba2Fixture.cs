using WarmGate.Kernels.Model;
using Xunit.Abstractions;

namespace WarmGate.Harness;

/// <summary>
/// Loads and warms up the Mamba2 model once and arms the gate. Use it as it is,
/// <c>[assembly: WarmGateAssemblyFixture(typeof(Mamba2Fixture))]</c>, for the model named by
/// <c>WARMGATE_MODEL</c> (default <c>builtin:tiny</c>); or subclass it and override
/// <see cref="Options"/> to name the model (or device, or tune mode) in code. Warmup progress
/// goes to the diagnostic messages.
/// </summary>
/// <param name="diagnosticMessageSink">Where progress and failures are reported.</param>
public class Mamba2Fixture(IMessageSink diagnosticMessageSink) : WarmGateFixture<Mamba2Target>(diagnosticMessageSink)
{
    /// <summary>The loaded, warmed-up runtime: run <c>Prefill</c>, <c>Decode</c>, <c>Generate</c> on it.</summary>
    /// <exception cref="WarmGateStartupException">Loading or warmup failed; the inner exception is the cause.</exception>
    public Mamba2Runtime Runtime => Target.Runtime;

    /// <summary>What to load; override to name a model in code. Read once, when the target is created.</summary>
    protected virtual Mamba2TargetOptions Options => new();

    /// <inheritdoc/>
    protected override Mamba2Target CreateTarget()
    {
        var options = Options;
        var target = new Mamba2Target(options with { Progress = options.Progress ?? (line => Diagnostic($"WarmGate: {line}")) });
        Diagnostic($"WarmGate: {GetType().Name} loads model '{target.Model}' (from {target.ModelOrigin}) on device {target.Device.ToString().ToLowerInvariant()}, " +
            $"tuning {target.Tune?.ToString().ToLowerInvariant() ?? "by device (quick on the CPU accelerator, full on CUDA)"}.");
        return target;
    }
}
