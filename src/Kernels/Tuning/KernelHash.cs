using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// The version hash of a kernel: SHA-256 over the IL of its methods (tokens resolved to names) and its configuration
/// space, first 16 hex digits. A table entry tuned for another hash is never applied.
/// </summary>
public static class KernelHash
{
    /// <summary>Hashes the IL of every method declared by <paramref name="kernelTypes"/> plus the configuration space.</summary>
    public static string Compute(IEnumerable<Type> kernelTypes, IEnumerable<string> configSpace)
    {
        ArgumentNullException.ThrowIfNull(kernelTypes);
        ArgumentNullException.ThrowIfNull(configSpace);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
            | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in kernelTypes.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var method in type.GetMethods(all).OrderBy(m => m.ToString(), StringComparer.Ordinal))
            {
                var text = new StringBuilder(method.ToString() ?? method.Name).Append('\n');
                IlFingerprint.Append(text, method);
                sha.AppendData(Encoding.UTF8.GetBytes(text.Append('\n').ToString()));
            }
        }
        foreach (var config in configSpace)
            sha.AppendData(Encoding.UTF8.GetBytes(config + "\n"));
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
