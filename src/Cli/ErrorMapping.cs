using WarmGate.Kernels.Model;
using WarmGate.Kernels.Tuning;

namespace WarmGate.Cli;

/// <summary>Which exceptions are the user's input being wrong (exit 2) rather than a crash.</summary>
internal static class ErrorMapping
{
    public static bool IsInputError(Exception ex) => ex is ModelFormatException or TuningTableException or TableMergeException or FileNotFoundException
        or DirectoryNotFoundException or ArgumentException or FormatException;
}
