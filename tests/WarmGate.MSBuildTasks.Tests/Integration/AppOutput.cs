using System.Text.RegularExpressions;

namespace WarmGate.MSBuildTasks.Tests.Integration;

/// <summary>Reads the lines the end-to-end sample (tests/Samples/MSBuildPretuneSample) prints.</summary>
internal static partial class AppOutput
{
    /// <summary>The counts of the sample's 'warmup: ... tuning runs: N, compilations: M' line.</summary>
    public static (int TuningRuns, int Compilations) Warmup(ProcessResult run)
    {
        var match = WarmupLine().Match(run.Output);
        match.Success.Should().BeTrue($"the app prints its warmup counts; it printed:{Environment.NewLine}{run}");
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^warmup: .*tuning runs: (\d+), compilations: (\d+)", RegexOptions.Multiline)]
    private static partial Regex WarmupLine();
}
