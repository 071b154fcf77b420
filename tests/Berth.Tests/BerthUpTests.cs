using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// The whole program as a user meets it: <c>berth up</c>, then standard manifests and the installed kubectl.
/// </summary>
public sealed class BerthUpTests
{
    private const string WebManifest = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: 8080
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: netexec
                image: registry.k8s.io/e2e-test-images/agnhost:2.53
                args: ["netexec", "--http-port=8080", "--udp-port=-1"]
                ports:
                - containerPort: 8080
                readinessProbe:
                  httpGet:
                    path: /hostname
                    port: 8080
                  periodSeconds: 1
        """;

    [Fact]
    public async Task Up_DeploymentOfAgnhost_RunsReadyPodsBehindItsService()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        await kubectl.OkAsync("get", "nodes", cluster.NodeName);
        await ApplyAsync(cluster, WebManifest);
        await kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=120s");

        var pods = (await kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(2, pods.Count);
        var prefix = cluster.Block.Prefix;
        using var http = new HttpClient();
        foreach (var (name, ip) in pods)
        {
            Assert.StartsWith(prefix, ip, StringComparison.Ordinal);
            Assert.Equal(name, await http.GetStringAsync($"http://{ip}:8080/hostname"));
        }

        // Both pods are ready endpoints of the Service.
        await cluster.KubectlUntilAsync(
            o => pods.Values.All(ip => o.Contains(ip, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]} {end}");

        // The Service existed before the pods: its variables are in their environment.
        var clusterIp = await kubectl.OkAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}");
        var pod = pods.Keys.First();
        var env = await kubectl.OkAsync("exec", pod, "--", "env");
        Assert.Contains($"WEB_SERVICE_HOST={clusterIp}\n", env, StringComparison.Ordinal);
        Assert.Contains("WEB_SERVICE_PORT_HTTP=80\n", env, StringComparison.Ordinal);
        Assert.Contains($"WEB_PORT_80_TCP=tcp://{clusterIp}:80\n", env, StringComparison.Ordinal);
        Assert.Contains("KUBERNETES_SERVICE_HOST=", env, StringComparison.Ordinal);
        Assert.Contains($"POD_IP={pods[pod]}\n", env, StringComparison.Ordinal);

        // kubectl port-forward to the Service reaches a pod.
        var local = BerthCommand.FreePort();
        using var forward = Process.Start(kubectl.StartInfo("port-forward", "svc/web", $"{local}:80"))!;
        try
        {
            var answer = await RetryAsync(() => http.GetStringAsync($"http://127.0.0.1:{local}/hostname"), TimeSpan.FromSeconds(30));
            Assert.Contains(answer, pods.Keys);
        }
        finally
        {
            forward.Kill();
            await forward.WaitForExitAsync();
        }

        var logs = await kubectl.OkAsync("logs", pod);
        Assert.Contains("8080", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_KilledWithSigkill_LeavesNoPodProcess_AndARestartRunsThePodsAgain()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        await ApplyAsync(cluster, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: sleeper
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "sleep 3600 & sleep 3600 & wait"]
            """);
        var containerId = await cluster.KubectlUntilAsync(o => o.StartsWith("berth://", StringComparison.Ordinal), TimeSpan.FromSeconds(60),
            "get", "pod", "sleeper", "-o", "jsonpath={.status.containerStatuses[0].containerID}");
        var pid = Processes.FromContainerId(containerId);
        var children = ChildrenOf(pid);
        Assert.Equal(2, children.Count);

        await cluster.Berth.KillHardAsync();

        await Processes.WaitGoneAsync(pid, TimeSpan.FromSeconds(10));
        foreach (var child in children)
        {
            await Processes.WaitGoneAsync(child, TimeSpan.FromSeconds(10));
        }

        await cluster.RestartAfterKillAsync();
        var again = await cluster.KubectlUntilAsync(
            o => o.StartsWith("berth://", StringComparison.Ordinal) && o != containerId,
            TimeSpan.FromSeconds(60),
            "get", "pod", "sleeper", "-o", "jsonpath={.status.containerStatuses[0].containerID}");
        Assert.True(Processes.IsAlive(Processes.FromContainerId(again)));
    }

    [Fact]
    public async Task ServerAndAgent_AsTwoProcesses_RunAPod()
    {
        using var data = new TempDirectory();
        var dataDir = data.Path;
        var port = BerthCommand.FreePort().ToString(CultureInfo.InvariantCulture);
        using var block = AddressBlock.Claim();
        await using var server = await BerthCommand.StartAsync(dataDir, BerthCommand.ReadyText, ["server", "--data-dir", dataDir, "--api-port", port, .. Cluster.RangeFlags(block)]);
        var agentDir = Path.Combine(dataDir, "agent");
        var nodeResolvConf = Path.Combine(dataDir, "node-resolv.conf");
        await File.WriteAllTextAsync(nodeResolvConf, "nameserver 127.0.0.53\nsearch corp.example\n");
        await using var agent = await BerthCommand.StartAsync(agentDir, BerthCommand.ReadyText,
            "agent", "--server", "https://127.0.0.1:" + port, "--token-file", Path.Combine(dataDir, "admin.token"),
            "--data-dir", agentDir, "--node-name", "remote", "--kubelet-port", "0",
            "--cluster-dns", block.DnsIp, "--cluster-domain", "berth.test", "--resolv-conf", nodeResolvConf);
        var kubectl = new ApiServer.Tests.Infrastructure.Kubectl(server.KubeconfigPath, dataDir);
        await kubectl.OkAsync("run", "hello", "--image=berth/agnhost", "--restart=Never", "--command", "--", "sh", "-c", "echo hello from $HOSTNAME; cat /etc/resolv.conf; hostname");
        var watch = Stopwatch.StartNew();
        string phase;
        do
        {
            await Task.Delay(200);
            phase = await kubectl.OkAsync("get", "pod", "hello", "-o", "jsonpath={.status.phase}");
        }
        while (phase != "Succeeded" && watch.Elapsed < TimeSpan.FromSeconds(60));

        Assert.Equal("Succeeded", phase);
        Assert.Equal("remote", await kubectl.OkAsync("get", "pod", "hello", "-o", "jsonpath={.spec.nodeName}"));
        Assert.Equal($"hello from hello\nsearch default.svc.berth.test svc.berth.test berth.test corp.example\nnameserver {block.DnsIp}\noptions ndots:5\nhello\n", await kubectl.OkAsync("logs", "hello"));
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(20)));
    }

    private static async Task ApplyAsync(Cluster cluster, string manifest)
    {
        var file = Path.Combine(cluster.DataDir, Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, manifest);
        await cluster.Kubectl.OkAsync("apply", "-f", file);
    }

    private static List<int> ChildrenOf(int pid)
    {
        var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children");
        return [.. children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (e is HttpRequestException or SocketException && watch.Elapsed < timeout)
            {
                await Task.Delay(200);
            }
        }
    }
}
