using System.Globalization;
using System.Text;

namespace WarmGate.Samples.DecodePerf;

/// <summary>Writes one flat JSON object per line to a file (stdout gets the summary table).</summary>
public sealed class Json(TextWriter file)
{
    public void Line(params (string Name, object? Value)[] fields)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append('"').Append(fields[i].Name).Append("\":").Append(Format(fields[i].Value));
        }
        text.Append('}');
        var line = text.ToString();
        file.WriteLine(line);
        file.Flush();
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => double.IsFinite(d) ? d.ToString("G6", CultureInfo.InvariantCulture) : "null",
        float f => Format((double)f),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => "\"" + value.ToString()!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal) + "\"",
    };
}
