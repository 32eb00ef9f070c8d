using System.Diagnostics;
using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Decode;
using WarmGate.Kernels.Devices;
using WarmGate.Kernels.Runtime;
using WarmGate.Samples.DecodePerf;

// Times the decode state update (H=80, P=64, G=1, N=128, fp32) on a CUDA device: the kernel before
// the rewrite (a copy, OldStateUpdateKernel) and SelectiveStateUpdate.Run for every candidate and a
// few more tilings, at batch 256, 64, 16, 1; each checked against the float64 reference first.
// Usage: DecodePerf <out-dir> [<ptx-dir>] [--smoke]. One JSON line per measurement, on stdout and in
// <out-dir>/results.jsonl. --smoke: the CPU accelerator, batch 1, a few runs (checks the program, not the kernel's speed).
var smoke = args.Contains("--smoke");
args = args.Where(a => a != "--smoke").ToArray();
var outDir = args.Length > 0 ? args[0] : "decodeperf-out";
var ptxDir = args.Length > 1 ? args[1] : Path.Combine(outDir, "ptx");
Directory.CreateDirectory(outDir);
Directory.CreateDirectory(ptxDir);
using var file = new StreamWriter(Path.Combine(outDir, "results.jsonl"));
var json = new Json(file);
var clock = Stopwatch.StartNew();
var summary = new List<string>();
const double DeadlineSeconds = 190;
const double PeakGbps = 4800;

var (eventRuns, loopCount, loopRepeats) = smoke ? (2, 2, 1) : (50, 200, 3);
string[] extras = ["GS=64,TP=2", "GS=256,TP=8", "GS=128,TP=32", "GS=64,TP=16", "GS=32,TP=4", "GS=32,TP=2", "GS=128,TP=2"];
var sweep = StateUpdateConfig.Candidates(cuda: true).Concat(extras.Select(StateUpdateConfig.Parse)).Distinct().ToList();
(int Gs, int Tp)[] oldTilings = [(128, 4), (128, 8)];
if (smoke)
{
    sweep = [.. StateUpdateConfig.Candidates(cuda: false)];
    oldTilings = [(64, 4)];
    using var cpu = DeviceSelector.Open(DeviceKind.Cpu);
    using var cpuRegistry = new KernelRegistry(cpu.Accelerator, "decodeperf-smoke");
    Sweep(cpu.Accelerator, new SelectiveStateUpdate(cpuRegistry), cpuRegistry, "O1", 1, sweep, oldTilings);
    using (var ptxContext = Context.Create(builder => builder.Optimize(OptimizationLevel.O1)))
    using (var backend = new PTXBackend(ptxContext, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!))
        Guard(() => DumpPtx(backend, "smoke"), "ptx");
    Finish();
    return 0;
}

using (var device = DeviceSelector.Open(DeviceKind.Cuda))
{
    var accelerator = (CudaAccelerator)device.Accelerator;
    json.Line(("bench", "env"), ("device", accelerator.Name), ("sms", accelerator.NumMultiprocessors),
        ("arch", accelerator.Architecture.ToString()), ("isa", accelerator.InstructionSet.ToString()),
        ("driver", accelerator.DriverVersion.ToString()), ("dotnet", Environment.Version.ToString()),
        ("l2_bytes", accelerator.L2CacheSize), ("sweep", (object)string.Join(" ", sweep)));
    using var registry = new KernelRegistry(accelerator, "decodeperf-o1");
    Guard(() => Ceiling.Measure(accelerator, registry, json, 1L << 30), "ceiling");
    var op = new SelectiveStateUpdate(registry);
    foreach (var batch in new[] { 256, 64, 16, 1 })
    {
        if (batch == 64) Guard(() => DumpPtx(accelerator.GetBackend(), "o1"), "ptx");
        Sweep(accelerator, op, registry, "O1", batch, sweep, oldTilings);
    }
}

// The same kernels compiled by ILGPU at O2 (global-space loads and stores instead of generic ones):
// WarmGate compiles at O1 (DeviceSelector); this says what the switch would be worth.
using (var context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2)))
using (var accelerator = context.GetCudaDevice(0).CreateCudaAccelerator(context))
using (var registry = new KernelRegistry(accelerator, "decodeperf-o2"))
{
    var op = new SelectiveStateUpdate(registry);
    Guard(() => DumpPtx(accelerator.GetBackend(), "o2"), "ptx");
    foreach (var batch in new[] { 256, 64 })
        Sweep(accelerator, op, registry, "O2", batch, sweep.Take(8).ToList(), oldTilings.Take(1).ToArray());
}

Finish();
return 0;

void Finish()
{
    Console.WriteLine("opt kern config        batch  events_us   loop_us  GBs_ev GBs_loop  %peak ok");
    foreach (var line in summary) Console.WriteLine(line);
    json.Line(("bench", "done"), ("seconds", clock.Elapsed.TotalSeconds));
}

void Sweep(Accelerator accelerator, SelectiveStateUpdate op, KernelRegistry registry, string opt, int batch,
    List<StateUpdateConfig> configs, (int Gs, int Tp)[] old)
{
    if (clock.Elapsed.TotalSeconds > DeadlineSeconds)
    {
        json.Line(("bench", "skipped"), ("opt", opt), ("batch", batch), ("reason", "deadline"));
        return;
    }
    var watch = Stopwatch.StartNew();
    using var problem = new Problem(accelerator, batch, 4242 + batch);
    json.Line(("bench", "problem"), ("opt", opt), ("batch", batch), ("sets", problem.Sets), ("setup_s", watch.Elapsed.TotalSeconds));
    Console.WriteLine($"{clock.Elapsed.TotalSeconds:F0}s: {opt} batch {batch} ({problem.Sets} slot sets) ready in {watch.Elapsed.TotalSeconds:F1}s");
    var stream = accelerator.DefaultStream;
    var shape = Problem.Shape;
    foreach (var (gs, tp) in old)
    {
        Guard(() =>
        {
            var compile = Stopwatch.StartNew();
            var launcher = OldStateUpdateKernel.Load(registry, gs, tp);
            compile.Stop();
            var tiles = (shape.HeadDim + tp - 1) / tp;
            var kernelConfig = new KernelConfig(batch * shape.Heads * tiles, gs);
            var views = problem.Views;
            OldArgs Args(int set) => new()
            {
                State = views.State, Slots = problem.SlotSets[set].View, X = views.X, Dt = views.Dt, A = views.A, B = views.B,
                C = views.C, D = views.D, Z = views.Z, DtBias = views.DtBias, Y = views.Y,
                Heads = shape.Heads, HeadDim = shape.HeadDim, StateDim = shape.StateDim, HeadsPerGroup = shape.HeadsPerGroup,
                TilesPerHead = tiles, XStride = shape.Channels, DtStride = shape.Heads, BStride = shape.GroupWidth,
                CStride = shape.GroupWidth, ZStride = 0, YStride = shape.Channels,
                DtMin = float.NegativeInfinity, DtMax = float.PositiveInfinity,
            };
            var args0 = Args(0);
            var argsBySet = Enumerable.Range(0, problem.Sets).Select(Args).ToArray();
            Measure(problem, stream, opt, "old", $"GS={gs},TP={tp}", compile.Elapsed.TotalMilliseconds,
                () => launcher(stream, kernelConfig, args0), i => launcher(stream, kernelConfig, argsBySet[i % argsBySet.Length]));
        }, $"old GS={gs},TP={tp} batch {batch}");
    }
    foreach (var config in configs)
    {
        Guard(() =>
        {
            var compile = Stopwatch.StartNew();
            op.Prepare(shape, Problem.Options, config);
            compile.Stop();
            var views = problem.Views;
            Measure(problem, stream, opt, "new", config.ToString(), compile.Elapsed.TotalMilliseconds,
                () => op.Run(shape, Problem.Options, views, problem.SlotSets[0], config, stream),
                i => op.Run(shape, Problem.Options, views, problem.SlotSets[i % problem.Sets], config, stream));
        }, $"new {config} batch {batch}");
    }
}

void Measure(Problem problem, AcceleratorStream stream, string opt, string kernel, string config, double compileMs, Action once, Action<int> rotating)
{
    var (errState, errY) = problem.Check(stream, once);
    var events = Timing.Events(stream, once, 5, eventRuns);
    var loop = Timing.Loop(stream, rotating, loopCount, loopRepeats);
    var ev = Timing.Median(events);
    var lp = Timing.Median(loop);
    json.Line(("bench", "decode"), ("opt", opt), ("kernel", kernel), ("config", config), ("batch", problem.Batch), ("sets", problem.Sets),
        ("ok", errState <= 1e-4 && errY <= 1e-4), ("err_state", errState), ("err_y", errY),
        ("ev_median_us", ev), ("ev_p10_us", Timing.Quantile(events, 0.1)), ("ev_p90_us", Timing.Quantile(events, 0.9)),
        ("loop_us", lp), ("loop_min_us", loop.Min()),
        ("gbps_ev", problem.Bytes / ev / 1e3), ("gbps_loop", problem.Bytes / lp / 1e3),
        ("pct_peak_ev", 100 * problem.Bytes / ev / 1e3 / PeakGbps), ("pct_peak_loop", 100 * problem.Bytes / lp / 1e3 / PeakGbps),
        ("bytes", problem.Bytes), ("compile_ms", compileMs));
    summary.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{opt,-3} {kernel,-4} {config,-13} {problem.Batch,5} {ev,10:F1} {lp,9:F1} {problem.Bytes / ev / 1e3,7:F0} {problem.Bytes / lp / 1e3,8:F0} {100 * problem.Bytes / Math.Min(ev, lp) / 1e3 / PeakGbps,5:F1}% {(errState <= 1e-4 && errY <= 1e-4 ? "y" : "NO")}"));
}

// PTX of a few tilings as this accelerator's backend emits it (diagnostic only: nothing is loaded
// or launched from it); the run script feeds it to ptxas for register counts and SASS.
void DumpPtx(Backend backend, string opt)
{
    var methods = typeof(SelectiveStateUpdate).GetField("Methods", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
    var get = methods.GetType().GetMethod("Get", [typeof(StateUpdateOptions), typeof(StateUpdateConfig), typeof(int)])!;
    foreach (var config in sweep.Take(8))
    {
        var method = (MethodInfo)get.Invoke(methods, [Problem.Options, config, Problem.Shape.StateDim])!;
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), default);
        File.WriteAllText(Path.Combine(ptxDir, $"{opt}_new_{config.GroupSize}_{config.RowsPerGroup}.ptx"), compiled.PTXAssembly);
    }
    var old = typeof(OldStateUpdateKernel).GetMethod(nameof(OldStateUpdateKernel.Run))!
        .MakeGenericMethod(typeof(WarmGate.Kernels.Numerics.C128), typeof(WarmGate.Kernels.Numerics.C4));
    var oldPtx = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(old), default);
    File.WriteAllText(Path.Combine(ptxDir, $"{opt}_old_128_4.ptx"), oldPtx.PTXAssembly);
}

void Guard(Action action, string what)
{
    try
    {
        action();
    }
    catch (Exception e)
    {
        json.Line(("bench", "error"), ("what", what), ("error", e.GetType().Name + ": " + e.Message));
        Console.WriteLine($"ERROR {what}: {e.GetType().Name}: {e.Message}");
    }
}
