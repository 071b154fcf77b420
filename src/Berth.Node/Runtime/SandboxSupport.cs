namespace Berth.Node.Runtime;

/// <summary>What this machine allows: the mode the launcher uses for sandboxed processes, and why not a better one.</summary>
/// <param name="Mode">The mode in use.</param>
/// <param name="Limitation">
/// Why a better mode is not available (e.g. <c>unshare failed: Operation not permitted</c>); null when the mode is
/// <see cref="SandboxMode.Privileged"/>.
/// </param>
public sealed record SandboxSupport(SandboxMode Mode, string? Limitation)
{
    /// <summary>The tools the wrapper runs, resolved once with the agent's <c>PATH</c> (a container's PATH may lack them).</summary>
    internal SandboxTools Tools { get; init; } = SandboxTools.Find();
}
