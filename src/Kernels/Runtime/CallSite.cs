using System.Diagnostics;

namespace WarmGate.Kernels.Runtime;

/// <summary>
/// Finds the first frame outside WarmGate.Kernels on the current stack. Only called when a
/// compile or tuning run happens, which is rare and far slower than a stack walk.
/// </summary>
internal static class CallSite
{
    private static readonly System.Reflection.Assembly Own = typeof(CallSite).Assembly;

    public static string? Capture()
    {
        var trace = new StackTrace(1, fNeedFileInfo: true);
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (method is null || type is null || type.Assembly == Own) continue;
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) continue;
            var name = $"{Outer(type).FullName}.{method.Name}";
            var file = frame.GetFileName();
            return file is null ? name : $"{name} ({Path.GetFileName(file)}:{frame.GetFileLineNumber()})";
        }
        return null;
    }

    private static Type Outer(Type type)
    {
        // Async state machines and lambdas are nested types: report the type a person wrote.
        while (type.DeclaringType is not null && type.Name.Contains('<', StringComparison.Ordinal))
            type = type.DeclaringType;
        return type;
    }
}
