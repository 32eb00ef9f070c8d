using System.Text;

namespace WarmGate.Kernels.Model;

/// <summary>
/// Python's <c>json</c> module writes non-finite floats as the bare tokens <c>NaN</c>,
/// <c>Infinity</c> and <c>-Infinity</c>, which are not JSON. This rewrites each such token that
/// stands as a value outside any string into a quoted string (<c>"Infinity"</c>), which
/// System.Text.Json then reads as a string; text inside strings is never touched.
/// </summary>
internal static class PythonJsonLiterals
{
    private static readonly string[] Literals = ["-Infinity", "Infinity", "NaN"];

    /// <summary>The names a non-finite value may have after <see cref="QuoteNonFinite"/>.</summary>
    public static bool TryParseName(string? text, out double value)
    {
        switch (text)
        {
            case "Infinity":
                value = double.PositiveInfinity;
                return true;
            case "-Infinity":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Quotes bare <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> tokens outside strings.</summary>
    public static string QuoteNonFinite(string json)
    {
        StringBuilder? builder = null;
        int copied = 0;
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                if (c == '\\')
                    i++; // skip the escaped character; \uXXXX continues with hex digits only
                else if (c == '"')
                    inString = false;
                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            int length = MatchLiteral(json, i);
            if (length == 0)
                continue;
            builder ??= new StringBuilder(json.Length + 16);
            builder.Append(json, copied, i - copied).Append('"').Append(json, i, length).Append('"');
            i += length - 1;
            copied = i + 1;
        }

        if (builder is null)
            return json;
        builder.Append(json, copied, json.Length - copied);
        return builder.ToString();
    }

    private static int MatchLiteral(string json, int at)
    {
        if (at > 0 && IsTokenChar(json[at - 1]))
            return 0;
        foreach (string literal in Literals)
        {
            int end = at + literal.Length;
            if (end <= json.Length
                && string.CompareOrdinal(json, at, literal, 0, literal.Length) == 0
                && (end == json.Length || !IsTokenChar(json[end])))
            {
                return literal.Length;
            }
        }

        return 0;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+' or '-';
}
