// Plays `warmgate tune --model M --device D --tuning T --out-dir O` until halfway, then crashes: prints progress
// lines, leaves a half-written table in the output folder (without reporting it on a 'wrote:' line) and dies of an
// unhandled exception, as a tuner hit by a driver or runtime fault would. The build must fail with WG1009, quote
// these lines and embed nothing.
var outDir = args.SkipWhile(a => a != "--out-dir").Skip(1).FirstOrDefault()
    ?? throw new ArgumentException("--out-dir is required");
Console.WriteLine("tuning builtin:tiny ...");
Console.WriteLine("warmup prefill (37 tokens): 2603 ms");
Directory.CreateDirectory(outDir);
File.WriteAllText(Path.Combine(outDir, "WarmGate.Tuning.CPUAccelerator.json"), "{\"schemaVersion\":1,\"entries\":[{\"kernel\":");
throw new InvalidOperationException("simulated tuner crash in the middle of ssd.prefill");
