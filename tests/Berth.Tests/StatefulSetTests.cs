using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// A StatefulSet as a user meets it: <c>berth up</c>, three agnhost <c>serve-hostname</c> pods behind a headless
/// Service, the installed kubectl (<c>rollout status</c>, <c>scale</c>), each <c>&lt;set&gt;-&lt;i&gt;.&lt;service&gt;</c>
/// asked with <c>dig</c> from the host, and a deleted pod coming back under its name and IP.
/// </summary>
public sealed class StatefulSetTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIP: None
          selector:
            app: web
          ports:
          - name: http
            port: 9376
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              terminationGracePeriodSeconds: 2
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
        """;

    [Fact]
    public async Task Up_ThreeReplicasBehindAHeadlessService_StableNamesResolveAndADeletedPodComesBackWithItsNameAndIp()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        var dns = cluster.Block.DnsIp;
        var file = Path.Combine(cluster.DataDir, "web.yaml");
        await File.WriteAllTextAsync(file, Manifest);

        await kubectl.OkAsync("apply", "-f", file);
        var rollout = await kubectl.OkAsync("rollout", "status", "statefulset/web", "--timeout=120s");
        var names = (await kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');
        var table = await kubectl.OkAsync("get", "sts", "web");
        var describe = await kubectl.OkAsync("describe", "sts", "web");

        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", rollout, StringComparison.Ordinal);
        Assert.Equal(["web-0", "web-1", "web-2"], names.Order(StringComparer.Ordinal));
        Assert.Matches(@"web\s+3/3\s+", table);
        Assert.Matches(@"Pods Status:\s+3 Running / 0 Waiting / 0 Succeeded / 0 Failed", describe);
        Assert.Contains("create Pod web-2 in StatefulSet web successful", describe, StringComparison.Ordinal);
        using var http = HttpLoop.NewClient();
        foreach (var name in names)
        {
            var ip = (await kubectl.OkAsync("get", "pod", name, "-o", "jsonpath={.status.podIP}")).Trim();
            Assert.Equal(ip, await Dig.UntilAsync(dns, ip, "+notcp", $"{name}.web.default.svc.cluster.local"));
            // serve-hostname answers with the pod's host name: spec.hostname, the pod's own name.
            Assert.Equal(name, await HttpLoop.GetAsync(http, new Uri($"http://{ip}:9376/")));
        }

        // A deleted pod comes back under its name (a new pod: another UID) and, on the same node, with its IP.
        var uid = await kubectl.OkAsync("get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}");
        var oldIp = (await kubectl.OkAsync("get", "pod", "web-1", "-o", "jsonpath={.status.podIP}")).Trim();
        await kubectl.OkAsync("delete", "pod", "web-1");
        var again = await cluster.KubectlUntilAsync(o => o.Length > 0 && o != uid, TimeSpan.FromSeconds(60), "get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}");
        await kubectl.OkAsync("wait", "--for=condition=Ready", "pod/web-1", "--timeout=60s");
        var newIp = (await kubectl.OkAsync("get", "pod", "web-1", "-o", "jsonpath={.status.podIP}")).Trim();
        Assert.NotEqual(uid, again);
        Assert.Equal(oldIp, newIp);
        Assert.Equal("web-1", await HttpLoop.GetAsync(http, new Uri($"http://{newIp}:9376/")));
        Assert.Equal(newIp, await Dig.UntilAsync(dns, newIp, "+notcp", "web-1.web.default.svc.cluster.local"));

        // Scaling down removes the highest ordinal.
        var scaled = await kubectl.OkAsync("scale", "statefulset", "web", "--replicas=2");
        await kubectl.OkAsync("wait", "--for=delete", "pod/web-2", "--timeout=60s");
        var left = (await kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');
        Assert.Equal("statefulset.apps/web scaled", scaled.Trim());
        Assert.Equal(["web-0", "web-1"], left.Order(StringComparer.Ordinal));
    }
}
