using System.Text;
using Berth.Node.Resolver;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// Pods as real processes read their /etc/resolv.conf, /etc/hosts and host name from inside: in the container, through
/// kubectl exec and the C# client's exec, in an exec probe and a preStop hook. The cluster DNS address is the ClusterIP
/// of the kube-dns Service the cluster created.
/// </summary>
[Collection(ResolverCollection.Name)]
public sealed class PodResolverTests(ResolverCluster cluster)
{
    private const string Boilerplate = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";

    private string ClusterFirst(string ns) =>
        $"search {ns}.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver {cluster.Block.DnsIp}\noptions ndots:5\n";

    private async Task<V1Pod> RunAsync(V1Pod pod)
    {
        await cluster.Client.CreateAsync(pod, CancellationToken.None);
        return await Pods.WaitAsync(cluster.Client, pod.Metadata.NamespaceProperty, pod.Metadata.Name, Pods.IsReady, "ready");
    }

    [Fact]
    public async Task Container_SeesItsResolvConf_ManagedHostsFile_AndHostname()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = cluster.Pod(ns, "web-0", "cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---; hostname; sleep 3600");
        pod.Spec.Hostname = "db";
        pod.Spec.Subdomain = "backends";
        pod.Spec.HostAliases = [new V1HostAlias { Ip = "127.1.2.3", Hostnames = ["foo.local", "bar.local"] }];
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", Command = ["sh", "-c", $"grep -qx 'nameserver {cluster.Block.DnsIp}' /etc/resolv.conf && [ \"$(hostname)\" = db ]"] }];

        var running = await RunAsync(pod); // the init container succeeded only if it saw the pod's files

        var ip = running.Status.PodIP;
        var expected = ClusterFirst(ns) + "---\n" + Boilerplate + $"{ip}\tdb.backends.{ns}.svc.cluster.local\tdb\n\n# Entries added by HostAliases.\n127.1.2.3\tfoo.local\tbar.local\n---\ndb\n";
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync(["logs", "-n", ns, "web-0", "-c", "main"])).Stdout == expected, "the container's output:\n" + expected);
        Assert.Equal("127.1.2.3       foo.local bar.local\n", await cluster.ExecAsync(ns, "web-0", "getent", "hosts", "bar.local"));
        Assert.Equal($"{ip,-15} db.backends.{ns}.svc.cluster.local db\n", await cluster.ExecAsync(ns, "web-0", "getent", "hosts", "db"));
    }

    [Fact]
    public async Task KubectlExec_ShowsThePodsResolvConf_HostsFile_AndHostname()
    {
        var ns = await cluster.NewNamespaceAsync();
        var running = await RunAsync(cluster.Pod(ns, "exec-me"));

        var resolvConf = await cluster.ExecAsync(ns, "exec-me", "cat", "/etc/resolv.conf");
        var hosts = await cluster.ExecAsync(ns, "exec-me", "cat", "/etc/hosts");
        var hostname = await cluster.ExecAsync(ns, "exec-me", "hostname");
        var fromStdin = await cluster.Kubectl.RunAsync(["exec", "-i", "-n", ns, "exec-me", "--", "sh", "-c", "cat; cat /etc/resolv.conf"], stdin: "in\n");

        Assert.Equal(ClusterFirst(ns), resolvConf);
        Assert.Equal(Boilerplate + running.Status.PodIP + "\texec-me\n", hosts);
        Assert.Equal("exec-me\n", hostname);
        Assert.Equal("in\n" + ClusterFirst(ns), fromStdin.Stdout);
    }

    [Fact]
    public async Task CSharpClientExec_WithAndWithoutATty_RunsInThePodsSandbox()
    {
        var ns = await cluster.NewNamespaceAsync();
        await RunAsync(cluster.Pod(ns, "csharp"));

        var plain = await ExecAsync(ns, "csharp", tty: false, "cat", "/etc/resolv.conf");
        var tty = await ExecAsync(ns, "csharp", tty: true, "sh", "-c", "tty >/dev/null && hostname && grep nameserver /etc/resolv.conf");

        Assert.Equal(ClusterFirst(ns), plain);
        Assert.Equal($"csharp\r\nnameserver {cluster.Block.DnsIp}\r\n", tty);
    }

    [Fact]
    public async Task ExecProbe_AndPreStopHook_RunInThePodsSandbox()
    {
        var ns = await cluster.NewNamespaceAsync();
        var scratch = Pods.WritableDirectory("berth-prestop-");
        var output = Path.Combine(scratch, "output");
        var pod = cluster.Pod(ns, "probed");
        pod.Spec.TerminationGracePeriodSeconds = 10;
        var container = pod.Spec.Containers[0];
        container.ReadinessProbe = new V1Probe
        {
            Exec = new V1ExecAction { Command = ["sh", "-c", $"grep -qx 'nameserver {cluster.Block.DnsIp}' /etc/resolv.conf && [ \"$(hostname)\" = probed ]"] },
            PeriodSeconds = 1,
        };
        container.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", $"{{ hostname; cat /etc/resolv.conf; }} > {output}"] } } };

        await RunAsync(pod); // Ready only if the probe saw the pod's resolv.conf and host name
        await cluster.Client.DeleteAsync<V1Pod>(ns, "probed", null, CancellationToken.None);

        await Eventually.TrueAsync(() => File.Exists(output) && File.ReadAllText(output).EndsWith("options ndots:5\n", StringComparison.Ordinal), "the preStop hook's output");
        Assert.Equal("probed\n" + ClusterFirst(ns), await File.ReadAllTextAsync(output));
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task EachDnsPolicy_GetsTheKubeletsResolvConf()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pods = new Dictionary<string, V1Pod>
        {
            ["default"] = WithDns(cluster.Pod(ns, "default"), "Default", null),
            ["none"] = WithDns(cluster.Pod(ns, "none"), "None", new V1PodDNSConfig
            {
                Nameservers = ["127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"],
                Searches = ["my.domain"],
                Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }],
            }),
            ["merged"] = WithDns(cluster.Pod(ns, "merged"), "ClusterFirst", new V1PodDNSConfig
            {
                Nameservers = ["127.0.0.11"],
                Searches = ["my.domain", "svc.cluster.local"],
                Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "3" }, new V1PodDNSConfigOption { Name = "edns0" }],
            }),
        };
        foreach (var pod in pods.Values)
        {
            await cluster.Client.CreateAsync(pod, CancellationToken.None);
        }

        foreach (var name in pods.Keys)
        {
            await Pods.WaitAsync(cluster.Client, ns, name, Pods.IsReady, "ready");
        }

        Assert.Equal("search corp.example\nnameserver 127.0.0.53\noptions timeout:1 attempts:2\n", await cluster.ExecAsync(ns, "default", "cat", "/etc/resolv.conf"));
        Assert.Equal("search my.domain\nnameserver 127.0.0.11\nnameserver 127.0.0.12\nnameserver 127.0.0.13\noptions ndots:2\n", await cluster.ExecAsync(ns, "none", "cat", "/etc/resolv.conf"));
        Assert.Equal(
            $"search {ns}.svc.cluster.local svc.cluster.local cluster.local corp.example my.domain\nnameserver {cluster.Block.DnsIp}\nnameserver 127.0.0.11\noptions ndots:3 edns0\n",
            await cluster.ExecAsync(ns, "merged", "cat", "/etc/resolv.conf"));
        var forming = Assert.Single(await cluster.EventsAsync(ns, "none", "DNSConfigForming"));
        Assert.Equal("Warning", forming.Type);
        Assert.Equal("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 127.0.0.11 127.0.0.12 127.0.0.13", forming.Message);
    }

    [Fact]
    public async Task HostNetworkPods_ClusterFirstIsDefault_WithHostNetIsCluster_AndTheyKeepTheMachinesHostnameAndHosts()
    {
        var ns = await cluster.NewNamespaceAsync();
        var plain = WithDns(cluster.Pod(ns, "hostnet"), "ClusterFirst", null);
        plain.Spec.HostNetwork = true;
        plain.Spec.HostAliases = [new V1HostAlias { Ip = "127.1.2.3", Hostnames = ["foo.local"] }];
        var withHostNet = WithDns(cluster.Pod(ns, "hostnet-cluster"), "ClusterFirstWithHostNet", null);
        withHostNet.Spec.HostNetwork = true;
        await RunAsync(plain);
        await RunAsync(withHostNet);

        Assert.Equal("search corp.example\nnameserver 127.0.0.53\noptions timeout:1 attempts:2\n", await cluster.ExecAsync(ns, "hostnet", "cat", "/etc/resolv.conf"));
        Assert.Equal(ClusterFirst(ns), await cluster.ExecAsync(ns, "hostnet-cluster", "cat", "/etc/resolv.conf"));
        Assert.Equal(HostsFilePlanner.HostNetworkHeader + cluster.HostFiles.Hosts + "\n# Entries added by HostAliases.\n127.1.2.3\tfoo.local\n", await cluster.ExecAsync(ns, "hostnet", "cat", "/etc/hosts"));
        Assert.Equal(cluster.HostFiles.Hostname, await cluster.ExecAsync(ns, "hostnet", "hostname"));
        Assert.Contains("HOSTNAME=" + cluster.HostFiles.Hostname, await cluster.ExecAsync(ns, "hostnet", "env"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHostsFilesAndHostname_AreUntouched_OnceThePodsAreGone()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = await RunAsync(cluster.Pod(ns, "passing-through", "cat /etc/resolv.conf /etc/hosts >/dev/null; sleep 3600"));
        var dir = Path.Combine(cluster.DataDir, cluster.NodeName, "pods", pod.Metadata.Uid);
        Assert.True(File.Exists(Path.Combine(dir, PodResolverFiles.ResolvConfName)));

        await cluster.Client.DeleteAsync<V1Pod>(ns, "passing-through", null, CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.Client.GetAsync<V1Pod>(ns, "passing-through", CancellationToken.None) is null && !Directory.Exists(dir), "the pod and its directory gone");

        Assert.Equal(cluster.HostFiles.ResolvConf, await File.ReadAllTextAsync("/etc/resolv.conf"));
        Assert.Equal(cluster.HostFiles.Hosts, await File.ReadAllTextAsync("/etc/hosts"));
        Assert.Equal(cluster.HostFiles.Hostname, await File.ReadAllTextAsync("/proc/sys/kernel/hostname"));
        Assert.DoesNotContain(cluster.DataDir, await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    private static V1Pod WithDns(V1Pod pod, string policy, V1PodDNSConfig? config)
    {
        pod.Spec.DnsPolicy = policy;
        pod.Spec.DnsConfig = config;
        return pod;
    }

    private async Task<string> ExecAsync(string ns, string pod, bool tty, params string[] command)
    {
        var stdout = new StringBuilder();
        var code = await cluster.Kubernetes.NamespacedPodExecAsync(pod, ns, "main", command, tty, async (_, output, _) =>
        {
            stdout.Append(await new StreamReader(output).ReadToEndAsync());
        }, CancellationToken.None);
        Assert.Equal(0, code);
        return stdout.ToString();
    }
}
