using System.Buffers.Binary;
using System.Diagnostics;
using WarmGate.Kernels.Model;

namespace WarmGate.Kernels.Tests.Model.IO;

/// <summary>
/// Truncates and mutates the bytes of a real (small) checkpoint written by the writer and checks
/// that every outcome is success or a <see cref="ModelFormatException"/>: never another exception
/// type, never a hang.
/// </summary>
public sealed class ModelFilesFuzzTests : IDisposable
{
    // A hang guard, not a speed target: generous, so a loaded 2-core CI machine (thread-pool
    // starvation while other collections run) cannot fail it, while a real hang still does.
    private static readonly TimeSpan PerIteration = TimeSpan.FromSeconds(60);
    private static readonly byte[] Interesting = "{}[]\",:-09eE. "u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xC3, 0xFF }).ToArray();

    private readonly TempFolder folder = new();

    public ModelFilesFuzzTests()
    {
        var config = TinyMamba2.Config with { NumHiddenLayers = 1, UseBias = true };
        var tensors = TinyMamba2.Tensors(config);
        Mamba2CheckpointWriter.Save(folder.Path, config, tensors, SafetensorsDtype.BF16);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Truncated_or_mutated_safetensors_give_success_or_ModelFormatException_only()
    {
        string path = folder.File("model.safetensors");
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var random = new Random(20240611);
        var outcomes = new Outcomes();
        var clock = Stopwatch.StartNew();

        var cases = new List<byte[]>();
        for (int length = 0; length < original.Length; length += length < headerEnd + 16 ? 11 : 97)
            cases.Add(original[..length]);
        for (int i = 0; i < 300; i++)
            cases.Add(Mutate(original, headerEnd, random));

        foreach (var bytes in cases)
        {
            File.WriteAllBytes(path, bytes);
            outcomes.Run(() =>
            {
                using (var reader = SafetensorsReader.Open(path))
                {
                    foreach (var tensor in reader.Tensors)
                    {
                        if (tensor.Dtype.IsFloatConvertible())
                            reader.ReadFloat32(tensor.Name);
                        else
                            reader.ReadBytes(tensor.Name);
                    }
                }

                using var checkpoint = Mamba2Checkpoint.Open(folder.Path);
                foreach (var spec in checkpoint.Expected.Where(s => checkpoint.Tensors.Contains(s.Name)))
                    checkpoint.ReadFloat32(spec.Name).Length.Should().Be((int)spec.ElementCount);
            });
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        outcomes.Errors.Should().BeGreaterThan(cases.Count / 3, "truncations and header mutations must be caught");
        outcomes.Successes.Should().BeGreaterThan(10, "mutations of tensor data alone leave a valid file");
    }

    [Fact]
    public void Mutated_config_json_gives_success_or_ModelFormatException_only()
    {
        string path = folder.File("config.json");
        byte[] original = File.ReadAllBytes(path);
        var random = new Random(7);
        var outcomes = new Outcomes();

        for (int i = 0; i < 300; i++)
        {
            byte[] bytes = i % 4 == 0 ? original[..random.Next(original.Length)] : Mutate(original, original.Length, random);
            outcomes.Run(() => Mamba2Config.Parse(Mamba2Config.DecodeUtf8(bytes, path), path));
        }

        outcomes.Errors.Should().BeGreaterThan(50);
        outcomes.Successes.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Mutated_shard_index_gives_success_or_ModelFormatException_only()
    {
        using var sharded = new TempFolder();
        var config = TinyMamba2.Config with { NumHiddenLayers = 1 };
        Mamba2CheckpointWriter.Save(sharded.Path, config, TinyMamba2.Tensors(config), SafetensorsDtype.F16, maxShardBytes: 600);
        string path = sharded.File(CheckpointReader.IndexFileName);
        byte[] original = File.ReadAllBytes(path);
        var random = new Random(99);
        var outcomes = new Outcomes();

        for (int i = 0; i < 200; i++)
        {
            File.WriteAllBytes(path, i == 0 ? original : i % 4 == 0 ? original[..random.Next(original.Length)] : Mutate(original, original.Length, random));
            outcomes.Run(() => Mamba2Checkpoint.Open(sharded.Path).Dispose());
        }

        outcomes.Errors.Should().BeGreaterThan(50);
        outcomes.Successes.Should().BeGreaterThan(0, "the unmutated index (iteration 0) opens");
    }

    private static byte[] Mutate(byte[] original, int headerEnd, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(headerEnd, bytes.Length));
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => Interesting[random.Next(Interesting.Length)],
            };
        }

        return bytes;
    }

    private sealed class Outcomes
    {
        public int Successes { get; private set; }

        public int Errors { get; private set; }

        public void Run(Action action)
        {
            var task = Task.Run(() =>
            {
                try
                {
                    action();
                    return (Exception?)null;
                }
                catch (ModelFormatException e)
                {
                    return e;
                }
            });

            task.Wait(PerIteration).Should().BeTrue("no input may hang the reader");
            if (task.Result is null)
                Successes++;
            else
                Errors++;
        }
    }
}
