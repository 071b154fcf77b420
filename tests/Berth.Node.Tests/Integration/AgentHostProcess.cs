using System.Diagnostics;
using System.Reflection;
using Berth.Node.Runtime;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// tests/Berth.Node.AgentHost as a process of its own: the pod side of an agent (a <c>PodManager</c> with default
/// options) for one node, which prints <c>started</c> once it runs and stops when its stdin closes.
/// </summary>
internal static class AgentHostProcess
{
    /// <param name="kubeconfig">The kubeconfig it reads.</param>
    /// <param name="node">Its node (created by the test).</param>
    /// <param name="dataDir">Its data directory.</param>
    /// <param name="cidr">The node's pod CIDR.</param>
    /// <param name="uid">
    /// Runs it as this user (through <c>setpriv</c>) instead of the test's; a build that user cannot reach (a checkout
    /// under /root) runs from a mirror in <see cref="MirrorOf"/> (the caller removes it), as the agent mirrors berth for its pods.
    /// </param>
    public static Process Start(string kubeconfig, string node, string dataDir, string cidr, int? uid = null)
    {
        var dll = typeof(AgentHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AgentHostPath").Value!;
        Assert.True(File.Exists(dll), $"{dll} is missing; build tests/Berth.Node.AgentHost");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(uid is null ? dotnet : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (uid is { } user)
        {
            foreach (var argument in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", "--", dotnet })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = dataDir;
        }

        start.ArgumentList.Add(uid is null ? Path.GetFullPath(dll) : Mirrored(Path.GetFullPath(dll), MirrorOf(dataDir)));
        start.ArgumentList.Add(Path.GetFullPath(kubeconfig));
        start.ArgumentList.Add(node);
        start.ArgumentList.Add(dataDir);
        start.ArgumentList.Add(cidr);
        return Process.Start(start)!;
    }

    /// <summary>Where <see cref="Start"/> mirrors the build for another user: beside the data directory.</summary>
    public static string MirrorOf(string dataDir) => dataDir + ".host";

    private static string Mirrored(string dll, string root)
    {
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return OtherUsers.ReachableCommand([dll], root).Command[0];
    }
}
