using System.Globalization;
using WarmGate.Kernels.Runtime;

namespace WarmGate.Kernels.Tuning;

/// <summary>The choice after the first pass: re-measuring the fastest few interleaved.</summary>
public sealed partial class Autotuner
{
    /// <summary>
    /// Picks the winner among the measured candidates: the first pass's fastest, unless the
    /// re-measure is on, there are at least two finalists and the budget is not spent; then the
    /// finalists (the fastest <see cref="TunerOptions.Finalists"/> of the first pass) are timed
    /// (<see cref="TunerOptions.RemeasureRuns"/> runs each) per round, in declaration order, and the lowest median wins. Each finalist's
    /// timing becomes its re-measured median (the note keeps the first pass's); a finalist that
    /// fails now is out (its time becomes NaN), and when all of them fail the fastest of the others wins.
    /// </summary>
    private (string Config, double Milliseconds) Choose(
        ITunable op, List<Measured> measured, List<CandidateTiming> timings, Func<bool> budgetSpent)
    {
        var firstBest = Fastest(measured);
        var finalists = measured
            .OrderBy(m => m.Milliseconds).ThenBy(m => m.Index)
            .Take(Math.Max(1, Options.Finalists))
            .OrderBy(m => m.Index)
            .ToList();
        if (finalists.Count < 2 || Options.RemeasureRounds <= 0 || budgetSpent())
            return (firstBest.Config, firstBest.Milliseconds);

        var samples = finalists.Select(_ => new List<double>(Options.RemeasureRounds)).ToArray();
        var runs = finalists.Select(f => CandidateRun.Of(op, f.Config)).ToArray();
        var failed = new string?[finalists.Count];
        for (var round = 0; round < Options.RemeasureRounds && (round == 0 || !budgetSpent()); round++)
        {
            for (var f = 0; f < finalists.Count; f++)
            {
                if (failed[f] is not null) continue;
                try
                {
                    samples[f].Add(Options.RemeasureRuns > 1
                        ? timer.MedianMilliseconds(runs[f], 1, Options.RemeasureRuns)
                        : timer.MedianMilliseconds(runs[f], 0, 1));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    failed[f] = $"failed on re-measure: {ex.GetType().Name}: {ex.Message}";
                }
            }
        }

        var survivors = new List<Measured>();
        for (var f = 0; f < finalists.Count; f++)
        {
            var finalist = finalists[f];
            var timing = timings[finalist.Index];
            if (failed[f] is { } why)
            {
                timings[finalist.Index] = timing with { Milliseconds = double.NaN, Note = why };
                continue;
            }
            var median = Median.Of(samples[f]);
            survivors.Add(finalist with { Milliseconds = median });
            timings[finalist.Index] = timing with
            {
                Milliseconds = median,
                Note = string.Create(CultureInfo.InvariantCulture,
                    $"re-measured: median of {samples[f].Count} interleaved runs; first pass {timing.Milliseconds:G6} ms"),
            };
        }
        if (survivors.Count == 0)
        {
            // Every finalist failed now: the fastest candidate that was not re-measured still ran.
            survivors.AddRange(measured.Where(m => !finalists.Any(f => f.Index == m.Index)));
            if (survivors.Count == 0) throw NothingRan(op, timings);
        }
        var best = Fastest(survivors);
        return (best.Config, best.Milliseconds);
    }

    /// <summary>The fastest; ties go to the one declared first.</summary>
    private static Measured Fastest(List<Measured> candidates)
    {
        var best = candidates[0];
        foreach (var c in candidates)
        {
            if (c.Milliseconds < best.Milliseconds || (c.Milliseconds == best.Milliseconds && c.Index < best.Index))
                best = c;
        }
        return best;
    }

    /// <summary>A candidate that ran: its position among the timings, config and time (ms).</summary>
    private readonly record struct Measured(int Index, string Config, double Milliseconds);
}
