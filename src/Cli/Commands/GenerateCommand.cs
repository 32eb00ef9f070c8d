using WarmGate.Kernels.IO;
using System.CommandLine;
using System.Globalization;
using System.Text;
using WarmGate.Kernels.Model;

namespace WarmGate.Cli.Commands;

/// <summary>
/// <c>warmgate generate</c>: greedy generation from token ids. The last line of stdout is the
/// generated ids, comma-separated; <c>--logits</c> writes the prompt's logits as JSON.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.Model();
        var device = CommonOptions.Device();
        var tokens = new Option<string>("--tokens") { Description = "The prompt as comma-separated token ids.", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "How many tokens to generate.", DefaultValueFactory = _ => 16 };
        var logits = new Option<string?>("--logits") { Description = "Write the prompt's logits (positions x vocabulary) as JSON here." };
        var tuning = CommonOptions.Tuning();
        var command = new Command("generate", "Generate tokens greedily from a prompt of token ids.") { model, device, tokens, maxNew, logits, tuning };
        command.SetAction(parse =>
        {
            var prompt = ParseTokens(parse.GetValue(tokens)!);
            var count = parse.GetValue(maxNew);
            if (count < 1) throw new CliException("--max-new-tokens must be at least 1.");
            using var runtime = Mamba2Runtime.Load(parse.GetValue(model)!, parse.GetValue(device), CommonOptions.TunerOptionsFor(parse.GetValue(tuning)!));
            if (prompt.Any(t => t < 0 || t >= runtime.Config.VocabSize))
                throw new CliException($"--tokens: every id must be in [0, {runtime.Config.VocabSize}) for this model.");
            if (parse.GetValue(logits) is { } path)
                AtomicFile.WriteAllText(path, ToJson(runtime.PrefillAllLogits(prompt)));
            var generated = runtime.Generate([prompt], count)[0];
            output.WriteLine(string.Join(",", generated));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int[] ParseTokens(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var ids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]))
                throw new CliException($"--tokens: '{parts[i]}' (item {i + 1}) is not an integer token id.");
        }
        return ids;
    }

    private static string ToJson(float[][] rows)
    {
        var text = new StringBuilder("[");
        for (var r = 0; r < rows.Length; r++)
        {
            text.Append(r == 0 ? "\n  [" : ",\n  [");
            text.AppendJoin(",", rows[r].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            text.Append(']');
        }
        return text.Append("\n]\n").ToString();
    }
}
