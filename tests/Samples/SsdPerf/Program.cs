// Times SsdPrefill.Run (device overload) on CUDA for every candidate config, Mamba2-2.7B layer shape,
// and checks each config's y against the float64 recurrence at L=2048. Prints one JSON line per result.
using System.Diagnostics;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using WarmGate.Kernels.Numerics;
using WarmGate.Kernels.Reference;
using WarmGate.Kernels.Runtime;
using WarmGate.Kernels.Ssd;
using Half = ILGPU.Half;

var label = args.Length > 0 ? args[0] : "run";
var only = args.Length > 1 ? args[1] : null; // optional: one config string
var lengths = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [2048, 8192];
var dtypes = args.Length > 3 ? args[3].Split(',') : ["f16", "f32"];
const int Warmups = 5, Runs = 50;

using var context = Context.Create(b => b.Cuda().Profiling().Optimize(OptimizationLevel.O1));
using var accelerator = context.GetCudaDevice(0).CreateAccelerator(context);
using var registry = new KernelRegistry(accelerator, "perf");
using var prefill = new SsdPrefill(registry);
var shape = new SsdShape(Heads: 80, HeadDim: 64, Groups: 1, StateSize: 128);
var configs = only is null ? SsdPrefillConfig.Candidates(cuda: true) : [SsdPrefillConfig.Parse(only)];
var stream = accelerator.DefaultStream;

foreach (var dtype in dtypes)
{
    var options = new SsdOptions
    {
        DtSoftplus = true, HasDtBias = true, DMode = SsdDMode.PerHead,
        InputDtype = dtype == "f16" ? Dtype.F16 : Dtype.F32, StateDtype = Dtype.F32,
    };
    foreach (var length in lengths)
    {
        var inputs = SsdHostInputs.Random(shape, options, [length], seed: 7);
        double[]? reference = null;
        if (length == 2048)
        {
            var sw = Stopwatch.StartNew();
            reference = SsdReference.Recurrence(inputs, shape, options).Y;
            Console.Error.WriteLine($"reference {dtype} L={length}: {sw.Elapsed.TotalSeconds:F1} s");
        }
        if (dtype == "f16") Measure<Half>(inputs, options, length, reference);
        else Measure<float>(inputs, options, length, reference);
    }
}

void Measure<T>(SsdHostInputs inputs, SsdOptions options, int length, double[]? reference)
    where T : unmanaged
{
    using var x = accelerator.Allocate1D(To<T>(inputs.X));
    using var dt = accelerator.Allocate1D(To<T>(inputs.Dt));
    using var a = accelerator.Allocate1D(inputs.A);
    using var b = accelerator.Allocate1D(To<T>(inputs.B));
    using var c = accelerator.Allocate1D(To<T>(inputs.C));
    using var bias = accelerator.Allocate1D(inputs.DtBias!);
    using var d = accelerator.Allocate1D(inputs.D!);
    using var y = accelerator.Allocate1D<T>((long)inputs.Tokens * shape.HeadWidth);
    using var final = accelerator.Allocate1D<float>((long)shape.StatePerSequence);
    var runArgs = new SsdPrefillArgs<T, float>
    {
        Tokens = inputs.Tokens, CuSeqlens = inputs.CuSeqlens,
        X = x.View, XStride = inputs.XStride, B = b.View, BStride = inputs.BStride, C = c.View, CStride = inputs.CStride,
        Dt = dt.View, DtStride = inputs.DtStride, A = a.View, DtBias = bias.View, D = d.View,
        Y = y.View, FinalStates = final.View,
    };
    var maxRef = reference is null ? 0 : reference.Max(Math.Abs);
    foreach (var config in configs)
    {
        var result = new Dictionary<string, object>
        {
            ["label"] = label, ["dtype"] = options.InputDtype == Dtype.F16 ? "f16" : "f32", ["L"] = length,
            ["config"] = config.ToString(),
        };
        try
        {
            var compile = Stopwatch.StartNew();
            prefill.Load(shape, options, config);
            result["load_ms"] = Math.Round(compile.Elapsed.TotalMilliseconds, 1);
            for (var i = 0; i < Warmups; i++) prefill.Run(stream, shape, options, config, runArgs);
            stream.Synchronize();
            var gpu = new List<double>();
            var wall = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var sw = Stopwatch.StartNew();
                var m0 = stream.AddProfilingMarker();
                prefill.Run(stream, shape, options, config, runArgs);
                var m1 = stream.AddProfilingMarker();
                stream.Synchronize();
                wall.Add(sw.Elapsed.TotalMicroseconds);
                gpu.Add(m1.MeasureFrom(m0).TotalMicroseconds);
                m0.Dispose();
                m1.Dispose();
            }
            var b0 = stream.AddProfilingMarker();
            for (var i = 0; i < Runs; i++) prefill.Run(stream, shape, options, config, runArgs);
            var b1 = stream.AddProfilingMarker();
            stream.Synchronize();
            result["gpu_us_median"] = Math.Round(Median(gpu), 1);
            result["gpu_us_min"] = Math.Round(gpu.Min(), 1);
            result["wall_us_median"] = Math.Round(Median(wall), 1);
            result["back_to_back_us"] = Math.Round(b1.MeasureFrom(b0).TotalMicroseconds / Runs, 1);
            b0.Dispose();
            b1.Dispose();
            if (reference is not null)
            {
                var got = y.GetAsArray1D();
                double err = 0;
                for (var i = 0; i < reference.Length; i++)
                    err = Math.Max(err, Math.Abs(ToDouble(got[i]) - reference[i]));
                result["rel_err"] = err / maxRef;
            }
        }
        catch (Exception e)
        {
            result["error"] = e.GetType().Name + ": " + e.Message.Split('\n')[0];
        }
        Console.WriteLine(Json(result));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static T[] To<T>(float[] values)
    where T : unmanaged =>
    typeof(T) == typeof(float) ? (T[])(object)values : (T[])(object)values.Select(v => (Half)v).ToArray();

static double ToDouble<T>(T value)
    where T : unmanaged => value is Half h ? (float)h : (double)(float)(object)value;

static string Json(Dictionary<string, object> values) =>
    "{" + string.Join(",", values.Select(kv => $"\"{kv.Key}\":" + kv.Value switch
    {
        string s => "\"" + s.Replace("\"", "'", StringComparison.Ordinal) + "\"",
        double v => v.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var o => "\"" + o + "\"",
    })) + "}";
