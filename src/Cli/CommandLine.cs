using System.CommandLine;

namespace WarmGate.Cli;

/// <summary>Builds the <c>warmgate</c> command tree.</summary>
internal static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("WarmGate: load, warm up, serve, and prove nothing compiles or tunes after load.");
        return root;
    }
}
