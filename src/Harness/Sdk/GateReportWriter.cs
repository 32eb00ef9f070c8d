using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WarmGate.Harness.Sdk;

/// <summary>
/// Writes a <see cref="GateReport"/> as <c>&lt;assembly&gt;.warmgate.json</c> and
/// <c>&lt;assembly&gt;.warmgate.md</c> into a folder, each file atomically (a temporary file
/// in the same folder, then a rename), so CI never keeps a half-written report.
/// </summary>
public static class GateReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A file for people and CI, never embedded in HTML: keep <, > and ' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The JSON text of a report.</summary>
    /// <param name="report">The report.</param>
    public static string ToJson(GateReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>Reads a report back from its JSON text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static GateReport FromJson(string json) =>
        JsonSerializer.Deserialize<GateReport>(json, Json) ?? throw new JsonException("The report JSON is null.");

    /// <summary>Writes both files and returns their paths (JSON first).</summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The folder; created when missing.</param>
    public static IReadOnlyList<string> Write(GateReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{report.Assembly}.warmgate");
        var json = stem + ".json";
        var markdown = stem + ".md";
        WriteAtomically(json, ToJson(report));
        WriteAtomically(markdown, ToMarkdown(report));
        return [json, markdown];
    }

    /// <summary>The Markdown text of a report.</summary>
    /// <param name="report">The report.</param>
    public static string ToMarkdown(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var s = report.Summary;
        md.Append(CultureInfo.InvariantCulture, $"# WarmGate report: {report.Assembly}").AppendLine().AppendLine();
        md.Append(CultureInfo.InvariantCulture,
            $"**{(report.Verdict == "passed" ? "Passed" : "Failed")}.** Run gate mode: {Mode(report.RunMode)}. ");
        md.Append(CultureInfo.InvariantCulture,
            $"{s.AfterLoad} compile(s) or tuning run(s) after load; {s.FailedTests} test(s) failed by the gate, {s.WarnedTests} warned; {s.OutsideAnyTest} outside any test.");
        md.AppendLine().AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"Run from {report.Started:u} to {report.Finished:u}; {s.Events} kernel event(s) in all.").AppendLine().AppendLine();

        md.AppendLine("## After load (Serving phase)").AppendLine();
        var afterLoad = report.Events.Where(e => e.Phase == "Serving" && e.Kind is "Compiled" or "TuneStarted").ToList();
        if (afterLoad.Count == 0)
            md.AppendLine("Nothing compiled or tuned after load.");
        else
        {
            md.AppendLine("| # | Test | Verdict | Kind | Kernel | Key | Config | ms | Call site |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var e in afterLoad)
                md.Append(CultureInfo.InvariantCulture,
                    $"| {e.Sequence} | {Cell(e.Test ?? "(none)")} | {Cell(Verdict(e))} | {e.Kind} | {Cell(e.Kernel)} | {Cell(e.Key)} | {Cell(e.Config)} | {e.DurationMs:F1} | {Cell(e.CallSite ?? "")} |").AppendLine();
        }
        md.AppendLine();

        md.AppendLine("## Warmed keys").AppendLine();
        if (!report.UsageObserved)
            md.AppendLine("Launches of warmed kernels were not observed in this run, so which tests used each key is unknown.").AppendLine();
        if (report.WarmedKeys.Count == 0)
            md.AppendLine("No kernel was compiled during warmup.");
        else
        {
            if (report.UsageObserved)
            {
                var never = report.WarmedKeys.Where(k => k.NeverUsed).ToList();
                md.Append(CultureInfo.InvariantCulture,
                    $"{report.WarmedKeys.Count - never.Count} of {report.WarmedKeys.Count} warmed key(s) were launched by tests; {never.Count} never were");
                md.AppendLine(never.Count == 0 ? "." : ": warmup compiles them, but no test covers them.").AppendLine();
            }
            md.AppendLine("| Runtime | Kernel | Key | Config | Used by |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var k in report.WarmedKeys)
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Cell(k.Runtime)} | {Cell(k.Kernel)} | {Cell(k.Key)} | {Cell(k.Config)} | {Cell(UsedBy(k))} |").AppendLine();
            if (report.WarmedKeys.Any(k => k.MaybeUsedBy is { Count: > 0 }))
                md.AppendLine().AppendLine(
                    "\"Maybe\": the test launched this kernel, but the launch did not say which of its compiled keys ran.");
        }
        md.AppendLine();

        md.AppendLine("## Tuning tables").AppendLine();
        if (report.Tables.Count == 0)
            md.AppendLine("No tuning table was reported by the targets.");
        else
        {
            md.AppendLine("| Source | Origin | Description |");
            md.AppendLine("|---|---|---|");
            foreach (var t in report.Tables)
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(t.Source)} | {Cell(t.Origin)} | {Cell(t.Description)} |").AppendLine();
        }
        md.AppendLine();

        md.AppendLine("## All events").AppendLine();
        if (report.Events.Count == 0)
            md.AppendLine("No kernel event.");
        else
        {
            md.AppendLine("| # | Phase | Kind | Kernel | Key | Config | ms | Test | Verdict |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var e in report.Events)
                md.Append(CultureInfo.InvariantCulture,
                    $"| {e.Sequence} | {e.Phase} | {e.Kind} | {Cell(e.Kernel)} | {Cell(e.Key)} | {Cell(e.Config)} | {e.DurationMs:F1} | {Cell(e.Test ?? "")} | {Cell(Verdict(e))} |").AppendLine();
        }
        return md.ToString();
    }

    private static string UsedBy(ReportWarmedKey k)
    {
        if (k.UsedBy is null) return "unknown";
        if (k.NeverUsed) return "**never used**";
        var maybe = k.MaybeUsedBy is { Count: > 0 } m ? "maybe: " + string.Join(", ", m) : string.Empty;
        return k.UsedBy.Count == 0 ? maybe : string.Join(", ", k.UsedBy) + (maybe.Length > 0 ? "; " + maybe : string.Empty);
    }

    private static string Mode(GateMode mode) => mode.ToString().ToLowerInvariant();

    private static string Verdict(ReportEvent e) => e.Verdict switch
    {
        EventVerdict.FailedTest => "failed the test",
        EventVerdict.Warned => "warned",
        EventVerdict.Ignored => "ignored (off)",
        EventVerdict.OutsideAnyTest => e.Note.Length > 0 ? $"outside any test: {e.Note}" : "outside any test",
        _ => "allowed",
    };

    private static string Cell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);

    private static void WriteAtomically(string path, string content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
