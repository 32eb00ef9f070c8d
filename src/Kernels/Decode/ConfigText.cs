using System.Globalization;

namespace WarmGate.Kernels.Decode;

/// <summary>Reads and writes configurations written as <c>NAME=value,NAME=value</c>.</summary>
internal static class ConfigText
{
    /// <summary>Parses <paramref name="text"/>, which must give each of <paramref name="names"/> exactly once.</summary>
    public static int[] Parse(string text, string kind, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new int?[names.Length];
        var expected = string.Join(",", names.Select(n => n + "=<int>"));
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var index = eq < 0 ? -1 : Array.IndexOf(names, part[..eq].Trim().ToUpperInvariant());
            if (index < 0 || values[index] is not null
                || !int.TryParse(part[(eq + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException(
                    $"Bad {kind} configuration '{text}' at '{part}': expected {expected}.");
            }
            values[index] = value;
        }
        var missing = names.Where((_, i) => values[i] is null).ToList();
        if (missing.Count > 0)
            throw new FormatException($"Bad {kind} configuration '{text}': missing {string.Join(", ", missing)}; expected {expected}.");
        return values.Select(v => v!.Value).ToArray();
    }

    /// <summary>Checks a power of two in [1, <paramref name="max"/>] (the type-level constants go to 256).</summary>
    public static void PowerOfTwo(int value, int max, string param, string what)
    {
        if (!DecodeChecks.IsPowerOfTwo(value) || value > max)
            throw DecodeChecks.Error(param, what, $"a power of two from 1 to {max}", value.ToString(CultureInfo.InvariantCulture));
    }
}
