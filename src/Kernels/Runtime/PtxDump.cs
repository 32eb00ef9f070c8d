using System.Globalization;
using System.Text;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// Writes the PTX of a compiled kernel to a folder, for <c>ptxas -v</c> (registers, stack, spills)
/// or for reading what the driver's JIT was given (<see cref="KernelRegistry.PtxDirectory"/>). Each
/// file is named <c>&lt;kernel id&gt;.&lt;hash&gt;.ptx</c>, the hash over key, config and closed
/// method, so the same kernel gets the same name in every run; the first lines are PTX comments
/// that say which kernel, key and config it is.
/// </summary>
public static class PtxDump
{
    /// <summary>The environment variable a new <see cref="KernelRegistry"/> takes its <see cref="KernelRegistry.PtxDirectory"/> from.</summary>
    public const string EnvironmentVariable = "WARMGATE_PTX_DIR";

    /// <summary>The file name of a kernel's PTX.</summary>
    /// <param name="kernelId">The kernel id, e.g. <c>ssd.chunk_scan</c>.</param>
    /// <param name="key">The tuning key.</param>
    /// <param name="config">The config.</param>
    /// <param name="method">The closed kernel method as the registry describes it.</param>
    public static string FileName(string kernelId, string key, string config, string method) =>
        string.Create(CultureInfo.InvariantCulture, $"{Sanitize(kernelId)}.{Fnv1a($"{key}\n{config}\n{method}"):x16}.ptx");

    /// <summary>Writes <paramref name="ptx"/> under <paramref name="directory"/> (created if missing) and returns the file's path.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be written; the message names the kernel and the path.</exception>
    public static string Write(string directory, string kernelId, string key, string config, string method, string ptx)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(ptx);
        var path = Path.Combine(directory, FileName(kernelId, key, config, method));
        var header = new StringBuilder()
            .Append("// warmgate kernel: ").AppendLine(kernelId)
            .Append("// key: ").AppendLine(key)
            .Append("// config: ").AppendLine(config)
            .Append("// method: ").AppendLine(method);
        // Written next to its final name and moved there, so two processes dumping the same kernel
        // into one folder never leave a mix of both.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(temporary, header.Append(ptx).ToString());
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            TryDelete(temporary);
            throw new InvalidOperationException(
                $"{EnvironmentVariable}: could not write the PTX of {kernelId} [{key}] to '{path}': {e.Message} " +
                $"Point {EnvironmentVariable} at a writable folder, or unset it.", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed; that error is the one to report.
        }
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not ('.' or '_' or '-')) chars[i] = '_';
        }
        return new string(chars);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
