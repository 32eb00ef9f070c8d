using System.Reflection;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Ssd;

/// <summary>
/// The five closed kernel methods of one (shape, options, config), with the key and config
/// strings their compile events carry. A tensor-core config closes the tensor-core chunk_state, bmm
/// and chunk_scan (fp16 or TF32 products by input dtype). Built once per distinct triple, so
/// launches do no reflection and no string formatting after the first.
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
        var tensorCores = config.TensorCores;

        Cumsum = Close(
            typeof(SsdCumsumKernel), input, inputOps, TypeConstants.Flag(options.DtSoftplus),
            TypeConstants.Flag(options.HasDtBias), TypeConstants.Flag(options.HasDtLimits), q);
        // The tensor-core kernels take one more type argument: TF32 products (fp32 inputs) or fp16 ones.
        Type[] inputTypes = tensorCores
            ? [input, inputOps, TypeConstants.Flag(options.InputDtype == Dtype.F32)]
            : [input, inputOps];
        ChunkState = Close(
            tensorCores ? typeof(SsdTcChunkStateKernel) : typeof(SsdChunkStateKernel),
            [.. inputTypes, q, TypeConstants.Constant(config.StateTileP), TypeConstants.Constant(config.StateTileN)]);
        StatePassing = Close(
            typeof(SsdStatePassingKernel), state, stateOps, init, q, TypeConstants.Constant(config.PassingBlock));
        Bmm = Close(
            tensorCores ? typeof(SsdTcBmmKernel) : typeof(SsdBmmKernel),
            [.. inputTypes, q, TypeConstants.Constant(config.BmmTileI), TypeConstants.Constant(config.BmmTileJ)]);
        ChunkScan = Close(
            tensorCores ? typeof(SsdTcChunkScanKernel) : typeof(SsdChunkScanKernel), [.. inputTypes, state, stateOps,
            TypeConstants.Flag(options.DMode != SsdDMode.None), TypeConstants.Flag(options.DMode == SsdDMode.PerChannel),
            TypeConstants.Flag(options.HasZ), init, q,
            TypeConstants.Constant(config.ScanTileRows), TypeConstants.Constant(config.ScanTileP)]);
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
