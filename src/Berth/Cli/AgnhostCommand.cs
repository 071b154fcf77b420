using System.CommandLine;
using Berth.Agnhost;

namespace Berth.Cli;

/// <summary>
/// <c>berth agnhost &lt;subcommand&gt; [flags]</c>: the built-in agnhost image, run by the node agent as a pod's
/// process. It starts nothing else of Berth, parses its own Go-style flags (<see cref="Program"/> hands it the words
/// before the command line is built, which keeps a pod's start cheap) and its exit code is the subcommand's.
/// </summary>
internal static class AgnhostCommand
{
    public const string Name = "agnhost";

    public static Task<int> RunAsync(string[] args) => AgnhostProgram.RunAsync(args, CancellationToken.None);

    /// <summary>Its entry in <c>berth --help</c> (never parsed here).</summary>
    public static Command Create() => new(Name, "run the built-in agnhost image (registry.k8s.io/e2e-test-images/agnhost): agnhost netexec|serve-hostname|pause [flags]");
}
