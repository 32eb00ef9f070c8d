namespace WarmGate.MSBuildTasks.Tests.Fakes;

/// <summary>
/// A bash script that plays the tuner for unit tests: it parses the real arguments
/// (<c>tune --model M --device D --tuning T --out-dir O</c>), appends the device to calls.log, then runs a
/// scenario body that sees <c>$model</c>, <c>$device</c>, <c>$tuning</c> and <c>$out</c>. The task runs it as <c>/bin/bash script ...</c>.
/// </summary>
internal sealed class FakeTuner : IDisposable
{
    public const string Bash = "/bin/bash";

    private FakeTuner(string body)
    {
        Root = Directory.CreateTempSubdirectory("warmgate-task-").FullName;
        ScriptPath = Path.Combine(Root, "fake-tuner.sh");
        OutputDirectory = Path.Combine(Root, "obj", "warmgate");
        File.WriteAllText(ScriptPath, $$"""
            set -u
            tuning=unset
            while [ $# -gt 0 ]; do
              case "$1" in
                --model) model=$2; shift ;;
                --device) device=$2; shift ;;
                --tuning) tuning=$2; shift ;;
                --out-dir) out=$2; shift ;;
              esac
              shift
            done
            echo "$device" >> "{{Root}}/calls.log"
            {{body}}
            """.ReplaceLineEndings("\n"));
    }

    public string Root { get; }

    public string ScriptPath { get; }

    public string OutputDirectory { get; }

    /// <summary>The --device argument of every run, in order.</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(Path.Combine(Root, "calls.log")) ? File.ReadAllLines(Path.Combine(Root, "calls.log")) : [];

    /// <summary>Prints progress, writes a valid table for <paramref name="device"/> and reports it.</summary>
    public static string WritesTable(string device = "CPU") => $$"""
        echo "tuning ssd.chunk_scan [H=4] 1/2"
        echo "tuning ssd.chunk_state [H=4] 2/2"
        mkdir -p "$out"
        printf '{"schemaVersion":1,"device":{"name":"{{device}}"},"entries":[]}' > "$out/WarmGate.Tuning.{{device}}.json"
        echo "wrote: $out/WarmGate.Tuning.{{device}}.json"
        """;

    /// <summary>Exits 3 (no CUDA device) for --device cuda; writes a CPU table for --device cpu.</summary>
    public static string NoGpu() => $$"""
        if [ "$device" = "cuda" ]; then
          echo "error: no CUDA device found" >&2
          exit 3
        fi
        {{WritesTable("CPU")}}
        """;

    public static FakeTuner Create(string body) => new(body);

    /// <summary>A task wired to this script, logging into <paramref name="engine"/>.</summary>
    public WarmGatePretune CreateTask(RecordingBuildEngine engine) => new()
    {
        BuildEngine = engine,
        Model = "builtin:tiny",
        OutputDirectory = OutputDirectory,
        TunerPath = ScriptPath,
        TunerHost = Bash,
    };

    /// <summary>Writes a file under the fake's folder and returns its path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold the folder for a moment; the OS cleans temp.
        }
    }
}
