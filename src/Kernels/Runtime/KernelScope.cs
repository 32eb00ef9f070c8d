namespace WarmGate.Kernels.Runtime;

/// <summary>
/// The ambient scope events are attributed to: an <see cref="AsyncLocal{T}"/> that flows with
/// async calls, so events land on the test that caused them even when tests run in parallel.
/// </summary>
public static class KernelScope
{
    private static readonly AsyncLocal<string?> CurrentScope = new();

    /// <summary>The current scope, or null.</summary>
    public static string? Current => CurrentScope.Value;

    /// <summary>Enters a scope until the returned object is disposed; scopes nest.</summary>
    public static IDisposable Enter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var previous = CurrentScope.Value;
        CurrentScope.Value = name;
        return new Exit(previous);
    }

    private sealed class Exit(string? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            CurrentScope.Value = previous;
        }
    }
}
