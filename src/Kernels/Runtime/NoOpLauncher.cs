using System.Linq.Expressions;

namespace WarmGate.Kernels.Runtime;

/// <summary>A launcher of type <typeparamref name="TDelegate"/> that does nothing (the stand-in for kernels during discovery).</summary>
internal static class NoOpLauncher<TDelegate>
    where TDelegate : Delegate
{
    public static readonly TDelegate Instance = Create();

    private static TDelegate Create()
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")
            ?? throw new InvalidOperationException($"{typeof(TDelegate)} has no Invoke method.");
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        Expression body = invoke.ReturnType == typeof(void) ? Expression.Empty() : Expression.Default(invoke.ReturnType);
        return Expression.Lambda<TDelegate>(body, parameters).Compile();
    }
}
