using System.Reflection;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The five closed kernel methods of one (shape, options, config), with the key and config
/// strings their compile events carry. A tensor-core config with fp16 inputs closes the
/// tensor-core chunk_state, bmm and chunk_scan (<see cref="SsdPrefillConfig.ForInput"/>). Built once per distinct triple, so launches do no
/// reflection and no string formatting after the first.
/// </summary>
internal sealed class SsdKernelPlan
{
    private const BindingFlags KernelFlags = BindingFlags.Public | BindingFlags.Static;

    public SsdKernelPlan(SsdShape shape, SsdOptions options, SsdPrefillConfig config)
    {
        Key = SsdKey.Of(shape, options);
        Config = config.ToString();
        var input = TypeConstants.Storage(options.InputDtype);
        var inputOps = TypeConstants.ElementOps(options.InputDtype);
        var state = TypeConstants.Storage(options.StateDtype);
        var stateOps = TypeConstants.ElementOps(options.StateDtype);
        var q = TypeConstants.Constant(config.ChunkSize);
        var init = TypeConstants.Flag(options.HasInitialStates);
        // The config the kernels run (a tensor-core config runs SIMT for fp32 inputs); events carry the given one.
        var run = config.ForInput(options.InputDtype);
        var tensorCores = run.TensorCores;

        Cumsum = Close(
            typeof(SsdCumsumKernel), input, inputOps, TypeConstants.Flag(options.DtSoftplus),
            TypeConstants.Flag(options.HasDtBias), TypeConstants.Flag(options.HasDtLimits), q);
        ChunkState = Close(
            tensorCores ? typeof(SsdTcChunkStateKernel) : typeof(SsdChunkStateKernel), input, inputOps, q,
            TypeConstants.Constant(run.StateTileP), TypeConstants.Constant(run.StateTileN));
        StatePassing = Close(
            typeof(SsdStatePassingKernel), state, stateOps, init, q, TypeConstants.Constant(run.PassingBlock));
        Bmm = Close(
            tensorCores ? typeof(SsdTcBmmKernel) : typeof(SsdBmmKernel), input, inputOps, q,
            TypeConstants.Constant(run.BmmTileI), TypeConstants.Constant(run.BmmTileJ));
        ChunkScan = Close(
            tensorCores ? typeof(SsdTcChunkScanKernel) : typeof(SsdChunkScanKernel), input, inputOps, state, stateOps,
            TypeConstants.Flag(options.DMode != SsdDMode.None), TypeConstants.Flag(options.DMode == SsdDMode.PerChannel),
            TypeConstants.Flag(options.HasZ), init, q,
            TypeConstants.Constant(run.ScanTileRows), TypeConstants.Constant(run.ScanTileP));
    }

    /// <summary>The tuning key events carry (<see cref="SsdKey.Of"/>).</summary>
    public string Key { get; }

    /// <summary>The config string events carry.</summary>
    public string Config { get; }

    public MethodInfo Cumsum { get; }

    public MethodInfo ChunkState { get; }

    public MethodInfo StatePassing { get; }

    public MethodInfo Bmm { get; }

    public MethodInfo ChunkScan { get; }

    private static MethodInfo Close(Type kernelClass, params Type[] typeArguments) =>
        kernelClass.GetMethod("Kernel", KernelFlags)!.MakeGenericMethod(typeArguments);
}
