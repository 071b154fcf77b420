using Berth.Agnhost;

namespace Berth.Cli;

/// <summary>
/// <c>berth agnhost &lt;subcommand&gt; [flags]</c>: the built-in agnhost image, run by the node agent as a pod's
/// process. It starts nothing else of Berth; its exit code is the subcommand's.
/// </summary>
internal sealed class AgnhostCommand(string[] args) : ICommand
{
    public Task<int> RunAsync() => AgnhostProgram.RunAsync(args, CancellationToken.None);
}
