using System.Collections.Concurrent;
using System.Reflection;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// Closes a generic kernel method over the type arguments of a specialization once, then hands
/// the same <see cref="MethodInfo"/> back (no reflection on later launches).
/// </summary>
/// <typeparam name="TKey">The specialization (a value with equality).</typeparam>
internal sealed class KernelMethodCache<TKey>(MethodInfo definition, Func<TKey, Type[]> typeArguments)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, MethodInfo> closed = new();
    private readonly MethodInfo definition = definition;
    private readonly Func<TKey, Type[]> typeArguments = typeArguments;

    public MethodInfo Get(TKey key) =>
        closed.GetOrAdd(key, static (k, self) => self.definition.MakeGenericMethod(self.typeArguments(k)), this);
}

/// <summary>Finds kernel method definitions.</summary>
internal static class KernelMethods
{
    /// <summary>The static method <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static MethodInfo Definition(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw new MissingMethodException(type.FullName, name);
}
