using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Kernels.Layers;

/// <summary>
/// The linear layer of PyTorch (<c>y = x · Wᵀ + b</c>, W of shape out × in) as a tuned GEMM.
/// Its tuning key is (in, out, bias): never the row count, so one warmup covers every batch.
/// </summary>
public sealed class Linear
{
    /// <summary>The kernel id in events and tables.</summary>
    public const string KernelId = "linear.gemm";

    private static readonly MethodInfo GemmDefinition =
        typeof(LinearKernels).GetMethod(nameof(LinearKernels.Gemm), BindingFlags.Public | BindingFlags.Static)!;

    private static readonly Lazy<string> Hash = new(() => Tuning.KernelHash.Compute(
        [typeof(LinearKernels)],
        LinearConfig.CudaCandidates.Concat(LinearConfig.CpuCandidates).Select(c => c.ToString())));

    private readonly Autotuner tuner;
    private readonly ConcurrentDictionary<(LinearConfig, bool), MethodInfo> methods = new();

    /// <summary>Creates the layer's kernels on the tuner's registry.</summary>
    public Linear(Autotuner tuner)
    {
        ArgumentNullException.ThrowIfNull(tuner);
        this.tuner = tuner;
    }

    private Accelerator Accelerator => tuner.Registry.Accelerator;

    private bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The version hash of the GEMM kernel and its configuration space.</summary>
    public static string VersionHash => Hash.Value;

    /// <summary>The tuning key for a layer shape.</summary>
    public static string Key(int inFeatures, int outFeatures, bool hasBias) =>
        $"K={inFeatures},N={outFeatures},bias={(hasBias ? 1 : 0)}";

    /// <summary>
    /// Computes <c>output[r, :] = input[r, :] · Wᵀ (+ bias)</c> for <paramref name="rows"/> rows.
    /// </summary>
    /// <param name="input">rows × in, row stride <paramref name="inputStride"/>.</param>
    /// <param name="rows">Row count (tokens).</param>
    /// <param name="inFeatures">Input features (K).</param>
    /// <param name="inputStride">Elements between rows of the input (≥ in).</param>
    /// <param name="weight">out × in, contiguous.</param>
    /// <param name="outFeatures">Output features (N).</param>
    /// <param name="bias">out, or an empty view for none.</param>
    /// <param name="output">rows × out, row stride <paramref name="outputStride"/>.</param>
    /// <param name="outputStride">Elements between rows of the output (≥ out).</param>
    /// <param name="config">A fixed configuration, or null to use the tuned one.</param>
    /// <exception cref="ArgumentException">A size or stride does not match; nothing was launched.</exception>
    public void Run(
        ArrayView<float> input, int rows, int inFeatures, int inputStride,
        ArrayView<float> weight, int outFeatures, ArrayView<float> bias,
        ArrayView<float> output, int outputStride, LinearConfig? config = null)
    {
        Validate(input, rows, inFeatures, inputStride, weight, outFeatures, bias, output, outputStride);
        if (rows == 0) return;
        var hasBias = bias.Length > 0;
        if (config is null)
        {
            using var tunable = new Tunable(this, inFeatures, outFeatures, weight, bias);
            config = LinearConfig.Parse(tuner.Resolve(tunable));
        }
        Launch(config, new GemmArgs
        {
            A = input, W = weight, Bias = hasBias ? bias : output.SubView(0, 1), C = output,
            M = rows, N = outFeatures, K = inFeatures, Lda = inputStride, Ldc = outputStride,
        }, hasBias);
    }

    private void Launch(LinearConfig config, GemmArgs args, bool hasBias)
    {
        var method = methods.GetOrAdd((config, hasBias), key => GemmDefinition.MakeGenericMethod(
            TypeConstants.Constant(key.Item1.BM), TypeConstants.Constant(key.Item1.BN),
            TypeConstants.Constant(key.Item1.BK), TypeConstants.Constant(key.Item1.TM),
            TypeConstants.Flag(key.Item2)));
        var launcher = tuner.Registry.GetOrCompile<Action<AcceleratorStream, KernelConfig, GemmArgs>>(
            KernelId, method, Key(args.K, args.N, hasBias), config.ToString());
        var groups = ((args.M + config.BM - 1) / config.BM) * ((args.N + config.BN - 1) / config.BN);
        launcher(
            Accelerator.DefaultStream,
            new KernelConfig(groups, config.Threads, SharedMemoryConfig.RequestDynamic<float>(config.BK * (config.BM + config.BN))),
            args);
    }

    private static void Validate(
        ArrayView<float> input, int rows, int inFeatures, int inputStride,
        ArrayView<float> weight, int outFeatures, ArrayView<float> bias,
        ArrayView<float> output, int outputStride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        if (inputStride < inFeatures)
            throw new ArgumentException($"Input row stride {inputStride} is smaller than the row ({inFeatures} features).", nameof(inputStride));
        if (outputStride < outFeatures)
            throw new ArgumentException($"Output row stride {outputStride} is smaller than the row ({outFeatures} features).", nameof(outputStride));
        if (weight.Length != (long)outFeatures * inFeatures)
            throw new ArgumentException($"Weight must be {outFeatures} x {inFeatures} = {(long)outFeatures * inFeatures} elements; it has {weight.Length}.", nameof(weight));
        if (bias.Length != 0 && bias.Length != outFeatures)
            throw new ArgumentException($"Bias must be empty or {outFeatures} elements; it has {bias.Length}.", nameof(bias));
        if (rows > 0 && input.Length < ((long)(rows - 1) * inputStride) + inFeatures)
            throw new ArgumentException($"Input view of {input.Length} elements is too small for {rows} rows of {inFeatures} with stride {inputStride}.", nameof(input));
        if (rows > 0 && output.Length < ((long)(rows - 1) * outputStride) + outFeatures)
            throw new ArgumentException($"Output view of {output.Length} elements is too small for {rows} rows of {outFeatures} with stride {outputStride}.", nameof(output));
    }

    /// <summary>
    /// Tunes the GEMM of one layer shape on scratch input of a representative row count, allocated
    /// on first use and kept for every run of the tuning (so runs can be enqueued without waiting).
    /// </summary>
    private sealed class Tunable(Linear owner, int inFeatures, int outFeatures, ArrayView<float> weight, ArrayView<float> bias)
        : ITunable, IDisposable
    {
        private MemoryBuffer1D<float, Stride1D.Dense>? input;
        private MemoryBuffer1D<float, Stride1D.Dense>? output;

        public string KernelId => Linear.KernelId;

        public string Key => Linear.Key(inFeatures, outFeatures, bias.Length > 0);

        public string KernelHash => Linear.VersionHash;

        public IReadOnlyList<string> Candidates { get; } =
            LinearConfig.Candidates(owner.IsCuda).Select(c => c.ToString()).ToArray();

        public AcceleratorStream Stream => owner.Accelerator.DefaultStream;

        private int Rows => owner.IsCuda ? 256 : 16;

        public bool CanRun(string config, out string reason)
        {
            var c = LinearConfig.Parse(config);
            var accelerator = owner.Accelerator;
            reason = c.Threads > accelerator.MaxNumThreadsPerGroup
                ? $"{c.Threads} threads a group; the device allows {accelerator.MaxNumThreadsPerGroup}"
                : c.SharedBytes > accelerator.MaxSharedMemoryPerGroup
                    ? $"{c.SharedBytes} bytes of shared memory; the device allows {accelerator.MaxSharedMemoryPerGroup}"
                    : string.Empty;
            return reason.Length == 0;
        }

        public void Run(string config)
        {
            Enqueue(config);
            Stream.Synchronize();
        }

        public void Enqueue(string config)
        {
            var accelerator = owner.Accelerator;
            if (input is null || output is null)
            {
                input = accelerator.Allocate1D<float>((long)Rows * inFeatures);
                output = accelerator.Allocate1D<float>((long)Rows * outFeatures);
                input.MemSetToZero(Stream);
            }
            owner.Launch(LinearConfig.Parse(config), new GemmArgs
            {
                A = input.View, W = weight, Bias = bias.Length > 0 ? bias : output.View.SubView(0, 1), C = output.View,
                M = Rows, N = outFeatures, K = inFeatures, Lda = inFeatures, Ldc = outFeatures,
            }, bias.Length > 0);
        }

        /// <summary>Waits for the runs still enqueued, then frees the scratch buffers.</summary>
        public void Dispose()
        {
            if (input is null && output is null) return;
            Stream.Synchronize();
            input?.Dispose();
            output?.Dispose();
            input = null;
            output = null;
        }
    }
}
