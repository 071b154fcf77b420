using System.Diagnostics;
using Berth.Node.Resolver;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// The pod side of an agent running as <c>nobody</c> (tests/Berth.Node.AgentHost through <c>setpriv</c>): its pods
/// still get their own resolv.conf, hosts file and host name, through an unprivileged user namespace, and keep the
/// agent's uid. Needs a kernel that allows unprivileged user namespaces (Debian's default).
/// </summary>
[Collection(ResolverCollection.Name)]
public sealed class UnprivilegedAgentTests(ResolverCluster cluster)
{
    private const int Nobody = 65534;

    [Fact]
    public async Task AnAgentWithoutPrivilege_GivesItsPodsTheirResolverFilesAndHostname_ThroughAUserNamespace()
    {
        var ns = await cluster.NewNamespaceAsync();
        var node = "nobody-" + Guid.NewGuid().ToString("N")[..6];
        var cidr = $"{cluster.Block.Prefix}66.0/24";
        // Not inside the server's data directory: that is 0700, closed to nobody (docs/security.md).
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-" + node);
        Directory.CreateDirectory(dataDir);
        var kubeconfig = Path.Combine(dataDir, "kubeconfig.yaml");
        File.Copy(cluster.Host.KubeconfigPath, kubeconfig);
        await ChownAsync(dataDir, Nobody);
        await NodeFixture.CreateNodeAsync(cluster.Client, node, cidr, schedulable: false);

        using var agent = AgentHostProcess.Start(kubeconfig, node, dataDir, cidr, Nobody);
        try
        {
            Assert.Equal("started", await agent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            var pod = cluster.Pod(ns, "unprivileged", "cat /etc/resolv.conf; hostname; id -u; sleep 3600", nodeName: node);
            await cluster.Client.CreateAsync(pod, CancellationToken.None);
            var running = await Pods.WaitAsync(cluster.Client, ns, "unprivileged", Pods.IsReady, "ready");
            var log = Path.Combine(dataDir, "pods", running.Metadata.Uid, "main", "0.log");

            var expected = await File.ReadAllTextAsync("/etc/resolv.conf") is var host && ResolvConf.Parse(host).Config.Searches is { Count: > 0 } searches
                ? $"search {ns}.svc.cluster.local svc.cluster.local cluster.local {string.Join(' ', searches)}\n"
                : $"search {ns}.svc.cluster.local svc.cluster.local cluster.local\n";
            expected += $"nameserver {cluster.Block.DnsIp}\noptions ndots:5\nunprivileged\n{Nobody}\n";
            await Eventually.TrueAsync(() => File.Exists(log) && Output(log) == expected, "the container's output:\n" + expected);
            Assert.Equal(cluster.HostFiles.ResolvConf, await File.ReadAllTextAsync("/etc/resolv.conf"));
            Assert.Equal(cluster.HostFiles.Hostname, await File.ReadAllTextAsync("/proc/sys/kernel/hostname"));
        }
        finally
        {
            agent.StandardInput.Close(); // the agent stops its pods and exits
            if (!agent.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                agent.Kill();
            }

            Directory.Delete(dataDir, recursive: true);
            if (Directory.Exists(AgentHostProcess.MirrorOf(dataDir)))
            {
                Directory.Delete(AgentHostProcess.MirrorOf(dataDir), recursive: true);
            }
        }
    }

    /// <summary>The text of a CRI log file (<c>&lt;time&gt; stdout F &lt;line&gt;</c> records).</summary>
    private static string Output(string file) =>
        string.Concat(File.ReadAllLines(file).Select(line => line.Split(' ', 4)).Where(f => f.Length == 4).Select(f => f[2] == "F" ? f[3] + "\n" : f[3]));

    private static async Task ChownAsync(string path, int uid)
    {
        using var chown = Process.Start("chown", ["-R", $"{uid}:{uid}", path]);
        await chown.WaitForExitAsync();
        Assert.Equal(0, chown.ExitCode);
    }
}
