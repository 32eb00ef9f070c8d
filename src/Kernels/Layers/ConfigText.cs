using System.Globalization;

namespace WarmGate.Kernels.Layers;

/// <summary>Reads configuration strings of the form <c>A=1,B=2</c> with exactly the expected names, in order.</summary>
internal static class ConfigText
{
    public static int[] Parse(string text, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',');
        if (parts.Length != names.Length)
            throw Bad(text, names);
        var values = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var pair = parts[i].Split('=');
            if (pair.Length != 2 || pair[0].Trim() != names[i]
                || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])
                || values[i] <= 0)
                throw Bad(text, names);
        }
        return values;
    }

    private static FormatException Bad(string text, string[] names) =>
        new($"'{text}' is not a configuration of the form {string.Join(",", names.Select(n => n + "=<positive int>"))}.");
}
