using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace WarmGate.Kernels.Tuning;

/// <summary>
/// Writes a method's IL as text with every metadata token replaced by the name it stands for,
/// so the fingerprint changes when the method's code changes and not when unrelated code in the
/// same assembly shifts the token numbers.
/// </summary>
internal static class IlFingerprint
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static void Append(StringBuilder text, MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return;
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE && i < il.Length) value = (short)(0xFE00 | il[i++]);
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                text.Append('?').Append(value).Append(';');
                continue;
            }
            text.Append(op.Name);
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    text.Append(' ').Append(il[i]);
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    text.Append(' ').Append(BitConverter.ToInt16(il, i));
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    text.Append(' ').Append(BitConverter.ToInt64(il, i));
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    text.Append(' ').Append(count);
                    i += 4 + (4 * count);
                    break;
                case OperandType.InlineString:
                    text.Append(" \"").Append(Resolve(() => module.ResolveString(BitConverter.ToInt32(il, i)))).Append('"');
                    i += 4;
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType
                    or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    text.Append(' ').Append(Resolve(() => Describe(module.ResolveMember(token, typeArgs, methodArgs))));
                    i += 4;
                    break;
                default: // InlineBrTarget, InlineI, ShortInlineR, InlineSig: 4 bytes each
                    text.Append(' ').Append(BitConverter.ToInt32(il, i));
                    i += 4;
                    break;
            }
            text.Append(';');
        }
    }

    private static string Describe(MemberInfo? member) => member switch
    {
        null => "?",
        Type type => type.FullName ?? type.Name,
        _ => $"{member.DeclaringType?.FullName}::{member}",
    };

    private static string Resolve(Func<string> resolve)
    {
        try
        {
            return resolve();
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }
}
