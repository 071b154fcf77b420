using System.Diagnostics;
using System.Globalization;
using System.Net;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// The service proxy as a user meets it: <c>berth up</c>, a Deployment of three agnhost <c>serve-hostname</c> pods
/// behind ClusterIP, NodePort and LoadBalancer Services, the installed kubectl — and a client that keeps asking the
/// cluster IP while pods are deleted and the Deployment is restarted.
/// </summary>
public sealed class ProxyScenarioTests
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: hostname
                image: registry.k8s.io/e2e-test-images/agnhost:2.53
                args: ["serve-hostname", "--port=9376"]
                ports:
                - name: http
                  containerPort: 9376
                readinessProbe:
                  tcpSocket:
                    port: http
                  periodSeconds: 1
        ---
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
            targetPort: http
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web-nodeport
        spec:
          type: NodePort
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: http
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web-lb
        spec:
          type: LoadBalancer
          selector:
            app: web
          ports:
          - name: http
            port: 8080
            targetPort: http
        """;

    [Fact]
    public async Task Up_ThreePodsBehindTheirServices_DeletingAPodAndRestartingTheDeploymentFailNoRequest()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        var file = Path.Combine(cluster.DataDir, "web.yaml");
        await File.WriteAllTextAsync(file, Manifest);
        await kubectl.OkAsync("apply", "-f", file);
        await kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=120s");
        var clusterIP = await kubectl.OkAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}");
        var nodePort = await kubectl.OkAsync("get", "service", "web-nodeport", "-o", "jsonpath={.spec.ports[0].nodePort}");
        var loadBalancerIP = await cluster.KubectlUntilAsync(o => IPAddress.TryParse(o, out _), TimeSpan.FromSeconds(30), "get", "service", "web-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        var pods = (await kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');
        using var http = HttpLoop.NewClient();
        var service = new Uri($"http://{clusterIP}/");

        // A client looping over the cluster IP sees every pod; the NodePort (on 127.0.0.1 and the node address) and the
        // load-balancer IP reach them too.
        var seen = new HashSet<string>();
        // rollout status counts Ready pods; the slices and the proxy follow within milliseconds — on a loaded machine
        // later, and until then the cluster IP has no listener (refused): wait for it.
        var deadline = Stopwatch.StartNew();
        while (seen.Count < 3 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                seen.Add(await HttpLoop.GetAsync(http, service));
            }
            catch (HttpRequestException) when (seen.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(pods.Order(), seen.Order());
        Assert.Contains(await HttpLoop.GetAsync(http, new Uri($"http://127.0.0.1:{nodePort}/")), pods);
        Assert.Contains(await HttpLoop.GetAsync(http, new Uri($"http://{cluster.Block.Spare(1)}:{nodePort}/")), pods);
        Assert.Contains(await HttpLoop.GetAsync(http, new Uri($"http://{loadBalancerIP}:8080/")), pods);

        // Steady sequential requests, a new connection each, while a pod is deleted and then every pod replaced.
        using var stop = new CancellationTokenSource();
        var client = Task.Run(() => HttpLoop.RunAsync(http, service, stop.Token));
        await kubectl.OkAsync("delete", "pod", pods[0], "--wait=false");
        await kubectl.OkAsync("wait", "--for=delete", "pod/" + pods[0], "--timeout=60s");
        await kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=120s");
        await kubectl.OkAsync("rollout", "restart", "deployment/web");
        await kubectl.OkAsync("rollout", "status", "deployment/web", "--timeout=180s");
        foreach (var old in pods)
        {
            await kubectl.OkAsync("wait", "--for=delete", "pod/" + old, "--timeout=60s");
        }

        var replaced = (await kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');

        await stop.CancelAsync();
        var (succeeded, failures, answeredBy) = await client;

        Assert.Empty(failures);
        Assert.True(succeeded > 20, $"only {succeeded} requests were made");
        Assert.Contains(answeredBy, name => !pods.Contains(name));
        Assert.Equal(clusterIP, await kubectl.OkAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"));
        Assert.Equal(3, replaced.Length);
        Assert.DoesNotContain(replaced, pods.Contains);

        // What the proxy decided, as `berth proxy-trace` shows it.
        var (exit, trace) = await BerthCommand.RunAsync(TimeSpan.FromSeconds(30), "proxy-trace", "--data-dir", cluster.DataDir);
        Assert.True(exit == 0, trace);
        Assert.Contains($"{clusterIP}:80", trace, StringComparison.Ordinal);
        Assert.Contains("default/web:http", trace, StringComparison.Ordinal);
    }
}
