using System.Xml.Linq;

namespace WarmGate.Harness.Tests.Integration;

/// <summary>What a TRX file says: each test result, the run outcome and the run messages.</summary>
public sealed record TrxResults(IReadOnlyList<TrxTest> Tests, string Outcome, IReadOnlyList<TrxRunInfo> RunInfos)
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public IReadOnlyList<string> Named(string outcome) =>
        Tests.Where(t => t.Outcome == outcome).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

    public TrxTest this[string name] =>
        Tests.SingleOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"No result named '{name}' in the TRX; it has: {string.Join(", ", Tests.Select(t => t.Name))}");

    public static TrxResults Load(string path)
    {
        var doc = XDocument.Load(path);
        var tests = doc.Descendants(Ns + "UnitTestResult").Select(r => new TrxTest(
            (string)r.Attribute("testName")!,
            (string)r.Attribute("outcome")!,
            (string?)r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message") ?? string.Empty,
            (string?)r.Element(Ns + "Output")?.Element(Ns + "StdOut") ?? string.Empty)).ToList();
        var summary = doc.Descendants(Ns + "ResultSummary").Single();
        var infos = summary.Descendants(Ns + "RunInfo").Select(i => new TrxRunInfo(
            (string)i.Attribute("outcome")!, (string?)i.Element(Ns + "Text") ?? string.Empty)).ToList();
        return new TrxResults(tests, (string)summary.Attribute("outcome")!, infos);
    }
}

/// <summary>One test result of a TRX file.</summary>
public sealed record TrxTest(string Name, string Outcome, string Message, string StdOut);

/// <summary>One run-level message of a TRX file (outcome Error, Warning, ...).</summary>
public sealed record TrxRunInfo(string Outcome, string Text);
