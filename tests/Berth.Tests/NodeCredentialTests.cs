using System.Globalization;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Tests.Infrastructure;
using Berth.Tests.Shared;

namespace Berth.Tests;

/// <summary>
/// A remote node as a user sets it up: <c>berth server</c>, <c>berth kubeconfig --node n1</c> on its data directory,
/// and <c>berth agent --kubeconfig</c> with that file in a directory of its own. The agent is the node
/// <c>system:node:NAME</c>, never the admin (node names are claimed machine-wide, so the name is the block's).
/// </summary>
public sealed class NodeCredentialTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);

    private const string PodManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: netexec
            image: berth/agnhost
            args: ["netexec", "--http-port=8080", "--udp-port=-1"]
            readinessProbe:
              httpGet:
                path: /hostname
                port: 8080
              periodSeconds: 1
        """;

    [Fact]
    public async Task AgentWithNodeKubeconfig_RegistersReadyRunsAPod_AndMayDoOnlyWhatANodeMay()
    {
        using var data = new TempDirectory();
        using var agentData = new TempDirectory();
        var dataDir = data.Path;
        var agentDir = agentData.Path;
        var port = BerthCommand.FreePort().ToString(CultureInfo.InvariantCulture);
        using var block = AddressBlock.Claim();
        var n1 = Cluster.NodeNameOf(block);
        await using var server = await BerthCommand.StartAsync(dataDir, BerthCommand.ReadyText, ["server", "--data-dir", dataDir, "--api-port", port, .. Cluster.RangeFlags(block)]);

        var issued = await BerthCommand.RunAsync(_timeout, "kubeconfig", "--node", n1, "--data-dir", dataDir);
        Assert.Equal(0, issued.ExitCode);
        var nodeKubeconfig = issued.Stdout.TrimEnd('\n');
        Assert.Equal(Path.Combine(dataDir, "nodes", n1 + ".kubeconfig"), nodeKubeconfig);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(nodeKubeconfig));
        var text = await File.ReadAllTextAsync(nodeKubeconfig);
        Assert.Contains("server: https://127.0.0.1:" + port + "\n", text, StringComparison.Ordinal);
        var again = await BerthCommand.RunAsync(_timeout, "kubeconfig", "--node", n1, "--data-dir", dataDir);
        Assert.Equal(issued.Stdout, again.Stdout);
        Assert.Equal(text, await File.ReadAllTextAsync(nodeKubeconfig));

        var otherName = await BerthCommand.RunAsync(_timeout, "agent", "--kubeconfig", nodeKubeconfig, "--node-name", "other", "--data-dir", agentDir);
        Assert.Equal(2, otherName.ExitCode);
        Assert.StartsWith($"berth agent: --node-name other: the kubeconfig is node {n1}'s (system:node:{n1})\n", otherName.Stderr, StringComparison.Ordinal);

        // No --node-name: the agent is the node its certificate names.
        await using var agent = await BerthCommand.StartAsync(agentDir, BerthCommand.ReadyText,
            "agent", "--kubeconfig", nodeKubeconfig, "--data-dir", agentDir, "--kubelet-port", "0",
            "--cluster-dns", block.DnsIp);
        var admin = new Kubectl(server.KubeconfigPath, dataDir);
        await Eventually.TrueAsync(
            async () => await admin.OkAsync("get", "node", n1, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}") == "True",
            "the node Ready", TimeSpan.FromSeconds(60));
        var manifest = Path.Combine(dataDir, "web.yaml");
        await File.WriteAllTextAsync(manifest, PodManifest);
        await admin.OkAsync("apply", "-f", manifest);
        await Eventually.TrueAsync(
            async () => await admin.OkAsync("get", "pod", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}") == "True",
            "pod web Ready", TimeSpan.FromSeconds(60));
        Assert.Equal(n1, await admin.OkAsync("get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"));

        var node = new Kubectl(nodeKubeconfig, agentDir);
        Assert.Equal(n1, await node.OkAsync("get", "nodes", n1, "-o", "jsonpath={.metadata.name}"));
        var deleteServices = await node.RunAsync(["auth", "can-i", "delete", "services"]);
        Assert.Equal(("no", 1), (deleteServices.Stdout.Trim(), deleteServices.ExitCode));
        var adminToken = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"))).Trim();
        foreach (var file in Directory.EnumerateFiles(agentDir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(adminToken, await ReadOrEmptyAsync(file), StringComparison.Ordinal);
        }

        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task NodeKubeconfig_OfADirectoryWithoutACluster_SaysSoExitOne()
    {
        using var data = new TempDirectory();
        var dataDir = data.Path;

        var run = await BerthCommand.RunAsync(_timeout, "kubeconfig", "--node", "n1", "--data-dir", dataDir);

        Assert.Equal((1, ""), (run.ExitCode, run.Stdout));
        Assert.StartsWith("berth: no kubeconfig at ", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dataDir, "nodes")));
    }

    /// <summary>Sockets and the like in the agent's directory have no text.</summary>
    private static async Task<string> ReadOrEmptyAsync(string file)
    {
        try
        {
            return await File.ReadAllTextAsync(file);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
