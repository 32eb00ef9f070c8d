using System.Diagnostics;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace WarmGate.Samples.DecodePerf;

/// <summary>Two timings of a launch: CUDA events around each single run, and wall time over many back-to-back runs.</summary>
public static class Timing
{
    /// <summary>Device time of each of <paramref name="runs"/> launches (µs), CUDA events around each, after <paramref name="warmups"/> untimed ones.</summary>
    public static double[] Events(AcceleratorStream stream, Action launch, int warmups, int runs)
    {
        for (var i = 0; i < warmups; i++) launch();
        stream.Synchronize();
        if (stream is not CudaStream cuda)
        {
            // The CPU accelerator (--smoke): wall time around each synchronized run.
            return Enumerable.Range(0, runs).Select(_ =>
            {
                var watch = Stopwatch.StartNew();
                launch();
                stream.Synchronize();
                return watch.Elapsed.TotalMicroseconds;
            }).ToArray();
        }
        using var binding = stream.Accelerator.BindScoped();
        var api = CudaAPI.CurrentAPI;
        Check(api.CreateEvent(out var start, CudaEventFlags.CU_EVENT_DEFAULT));
        Check(api.CreateEvent(out var end, CudaEventFlags.CU_EVENT_DEFAULT));
        try
        {
            var samples = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                Check(api.RecordEvent(start, cuda.StreamPtr));
                launch();
                Check(api.RecordEvent(end, cuda.StreamPtr));
                Check(api.SynchronizeEvent(end));
                Check(api.ElapsedTime(out float ms, start, end));
                samples[i] = ms * 1000.0;
            }
            return samples;
        }
        finally
        {
            api.DestroyEvent(start);
            api.DestroyEvent(end);
        }
    }

    /// <summary>
    /// Wall time per launch (µs) of <paramref name="count"/> back-to-back launches between two
    /// synchronizations, <paramref name="repeats"/> times; launch <c>i</c> runs <paramref name="launch"/>(i).
    /// </summary>
    public static double[] Loop(AcceleratorStream stream, Action<int> launch, int count, int repeats)
    {
        for (var i = 0; i < Math.Min(10, count); i++) launch(i);
        stream.Synchronize();
        var result = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) launch(i);
            stream.Synchronize();
            result[r] = watch.Elapsed.TotalMicroseconds / count;
        }
        return result;
    }

    public static double Median(double[] values) => Quantile(values, 0.5);

    public static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }

    private static void Check(CudaError error)
    {
        if (error != CudaError.CUDA_SUCCESS) throw new CudaException(error);
    }
}
