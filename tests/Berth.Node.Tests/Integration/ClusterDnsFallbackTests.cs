using System.Net;
using Berth.Node.Resolver;
using Berth.Node.Runtime;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// A cluster without a <c>kube-dns</c> Service at first: ClusterFirst pods fall back to Default with the kubelet's
/// MissingClusterDNS warnings and get the cluster DNS on their next container start once the Service exists. Its
/// agent runs pods through the unprivileged user-namespace sandbox; a second agent has none at all.
/// </summary>
public sealed class ClusterDnsFallbackTests : IAsyncLifetime
{
    private const string NodeDefault = "search corp.example\nnameserver 127.0.0.53\noptions timeout:1 attempts:2\n";

    private readonly ResolverCluster _cluster = new(kubeDns: false, sandbox: SandboxMode.UserNamespace);

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ClusterFirst_WithoutClusterDns_FallsBackToDefault_WarnsNodeAndPod_AndTheNextStartGetsKubeDns()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var dns = _cluster.Block.DnsIp;
        // Each run prints its resolv.conf; a run that has the cluster DNS stays, the others end and are restarted.
        var pod = _cluster.Pod(ns, "early", $"cat /etc/resolv.conf; grep -qx 'nameserver {dns}' /etc/resolv.conf && exec sleep 3600; sleep 0.3; exit 1");
        await _cluster.Client.CreateAsync(pod, CancellationToken.None);

        var podWarning = await Eventually.ValueAsync(async () => (await _cluster.EventsAsync(ns, "early", "MissingClusterDNS")).FirstOrDefault(), "the pod's MissingClusterDNS event");
        var nodeWarning = await Eventually.ValueAsync(async () => (await _cluster.Kubernetes.CoreV1.ListNamespacedEventAsync("default")).Items.FirstOrDefault(e => e.Reason == "MissingClusterDNS" && e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == _cluster.NodeName), "the node's MissingClusterDNS event");
        var firstRun = await Eventually.ValueAsync(async () => (await _cluster.Kubectl.RunAsync(["logs", "-n", ns, "early"])).Stdout is { Length: > 0 } log ? log : null, "the first run's log");
        await _cluster.CreateKubeDnsAsync();
        var clusterFirst = $"search {ns}.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver {dns}\noptions ndots:5\n";
        await Eventually.TrueAsync(async () => (await _cluster.Kubectl.RunAsync(["logs", "-n", ns, "early"])).Stdout == clusterFirst, "a run with the cluster DNS");
        var later = await _cluster.Client.GetAsync<V1Pod>(ns, "early", CancellationToken.None);

        const string message = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.";
        Assert.Equal("Warning", podWarning.Type);
        Assert.Equal($"pod: \"early_{ns}({podWarning.InvolvedObject.Uid})\". {message}", podWarning.Message);
        Assert.Equal("Warning", nodeWarning.Type);
        Assert.Equal(message, nodeWarning.Message);
        Assert.Equal(NodeDefault, firstRun);
        Assert.True(Pods.First(later!)!.RestartCount >= 1);
        Assert.Equal(clusterFirst, await _cluster.ExecAsync(ns, "early", "cat", "/etc/resolv.conf"));
        Assert.Equal("early\n", await _cluster.ExecAsync(ns, "early", "hostname"));
    }

    [Fact]
    public async Task WithoutAnySandbox_ThePodSeesTheHostsFiles_AndIsWarnedOnce_WhileItsOwnFilesAreStillWritten()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var node = "plain-" + Guid.NewGuid().ToString("N")[..6];
        var flagDns = IPAddress.Parse(_cluster.Block.Spare(53));
        await _cluster.StartAgentAsync(node, 65, SandboxMode.None, [flagDns]);
        var pod = _cluster.Pod(ns, "unsandboxed", nodeName: node);
        pod.Spec.Containers.Add(new V1Container { Name = "restarts", Image = "busybox", Command = ["sh", "-c", "sleep 0.3; exit 1"] }); // each start prepares the files again
        await _cluster.Client.CreateAsync(pod, CancellationToken.None);

        var running = await Pods.WaitAsync(_cluster.Client, ns, "unsandboxed", p => p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "restarts")?.RestartCount >= 2, "restarted twice");
        var host = await _cluster.ExecAsync(ns, "unsandboxed", "cat", "/etc/resolv.conf");
        var warnings = await _cluster.EventsAsync(ns, "unsandboxed", PodResolverResult.NotMountedReason);
        var own = await File.ReadAllTextAsync(Path.Combine(_cluster.DataDir, node, "pods", running.Metadata.Uid, PodResolverFiles.ResolvConfName));

        var warning = Assert.Single(warnings);
        Assert.Equal(1, warning.Count);
        Assert.Contains("(pod namespaces are turned off)", warning.Message, StringComparison.Ordinal);
        Assert.Equal($"search {ns}.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver {flagDns}\noptions ndots:5\n", own);
        Assert.Equal(_cluster.HostFiles.ResolvConf, host);
    }
}
