using System.Diagnostics;
using System.Reflection;

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
    /// <param name="uid">Runs it as this user (through <c>setpriv</c>) instead of the test's.</param>
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

        start.ArgumentList.Add(Path.GetFullPath(dll));
        start.ArgumentList.Add(Path.GetFullPath(kubeconfig));
        start.ArgumentList.Add(node);
        start.ArgumentList.Add(dataDir);
        start.ArgumentList.Add(cidr);
        return Process.Start(start)!;
    }
}
