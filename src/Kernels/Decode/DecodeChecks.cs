using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// Argument checks shared by the decode operations. Each failure is an
/// <see cref="ArgumentException"/> whose <c>ParamName</c> names the argument and whose message
/// says what was expected and what was given.
/// </summary>
internal static class DecodeChecks
{
    /// <summary>Names a tensor argument, e.g. <c>views.X</c>; the text is only built when a check fails.</summary>
    public readonly record struct Tensor(string Arg, string Name)
    {
        public override string ToString() => Arg + "." + Name;
    }

    public static ArgumentException Error(string param, string what, string expected, string given) =>
        new($"{what}: expected {expected}, given {given}.", param);

    public static void AtLeast(int value, int minimum, string param, string what)
    {
        if (value < minimum)
            throw Error(param, what, $">= {minimum}", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A tensor of exactly <paramref name="expected"/> elements.</summary>
    public static void Length(long length, long expected, Tensor param, string what)
    {
        if (length != expected)
            throw Error(param.ToString(), what, $"{expected} elements", $"{length} elements");
    }

    /// <summary>An optional tensor that must be absent (empty) because its option is off.</summary>
    public static void Absent(long length, Tensor param, string what, string option)
    {
        if (length != 0)
            throw Error(param.ToString(), $"{what} was given but {option}", "an empty view (or turn the option on)", $"{length} elements");
    }

    /// <summary>
    /// A row-major tensor of <paramref name="rows"/> rows of <paramref name="width"/> elements, rows
    /// <paramref name="stride"/> elements apart; returns the stride to use (0 means dense).
    /// </summary>
    public static int Rows(long length, long rows, int width, int stride, Tensor param, string what)
    {
        if (stride == 0) stride = width;
        if (stride < width)
            throw Error(param.ToString(), $"{what} row stride", $">= the row width {width} (or 0 for dense rows)", stride.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var needed = rows == 0 ? 0 : (rows - 1) * stride + width;
        if (length < needed)
            throw Error(param.ToString(), $"{what} is too small for {rows} rows of {width} at stride {stride}", $"at least {needed} elements", $"{length} elements");
        return stride;
    }

    /// <summary>A cache of whole slots of <paramref name="slotSize"/> elements (<paramref name="what"/> names the layout); returns the slot count.</summary>
    public static int Slots(long length, long slotSize, Tensor param, string what)
    {
        if (length == 0 || length % slotSize != 0)
            throw Error(param.ToString(), $"{what} must hold whole slots of {slotSize} elements", $"a positive multiple of {slotSize}", $"{length} elements");
        var slots = length / slotSize;
        if (slots > int.MaxValue)
            throw Error(param.ToString(), $"{what} holds too many slots", $"at most {int.MaxValue}", $"{slots}");
        return (int)slots;
    }

    /// <summary>The type argument <typeparamref name="T"/> stores <paramref name="dtype"/>.</summary>
    public static void Storage<T>(Dtype dtype, string param, string what)
    {
        if (TypeConstants.Storage(dtype) != typeof(T))
            throw Error(param, $"{what} is {dtype.Name()} but the tensors are {typeof(T).Name}", $"{TypeConstants.Storage(dtype).Name} tensors", $"{typeof(T).Name} tensors");
    }

    /// <summary>A configuration whose group of <paramref name="groupSize"/> threads fits <paramref name="accelerator"/>.</summary>
    public static void GroupFits(ILGPU.Runtime.Accelerator accelerator, int groupSize, object config)
    {
        var max = accelerator.MaxNumThreadsPerGroup;
        if (groupSize > max)
            throw Error("config", $"Configuration {config} does not fit {accelerator.Name}", $"a group size <= {max}", $"{groupSize}");
    }

    public static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;
}
