using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// An application's manifests as a team ships them (<c>examples/app/</c>: a ConfigMap, a Secret, a ServiceAccount, a
/// StatefulSet behind a headless Service and a Deployment behind a ClusterIP Service) apply with one
/// <c>kubectl apply -f dir/</c> and come up: stable pod names with DNS names of their own, configuration and secrets in
/// the pods' environment, the service account on the pods, the Service answering — and a deleted store pod comes back
/// under its name.
/// </summary>
public sealed class ApplicationTests
{
    private static readonly string _example = Path.Combine(Repository.Root(), "examples", "app");

    [Fact]
    public async Task ExampleApp_AppliesInOneGo_AndComesUp()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;

        await kubectl.OkAsync("apply", "-f", _example + "/");
        await kubectl.OkAsync("rollout", "status", "statefulset/store", "--timeout=180s");
        await kubectl.OkAsync("rollout", "status", "deployment/shop", "--timeout=120s");

        // The StatefulSet's pods have stable names, each with a DNS name of its own under the headless Service.
        var stores = await kubectl.OkAsync("get", "pods", "-l", "app=store", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}");
        var storeIPs = stores.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["store-0", "store-1", "store-2"], storeIPs.Keys.Order());
        foreach (var (name, ip) in storeIPs)
        {
            // The pod's record follows its ready endpoint in the headless Service's slice (rollout status may see the
            // StatefulSet ready before the DNS server has the slice).
            await Eventually.TrueAsync(
                async () => (await kubectl.RunAsync(["exec", "deploy/shop", "--", "getent", "hosts", name + ".store"])).Stdout.StartsWith(ip + " ", StringComparison.Ordinal),
                $"{name}.store resolving to {ip} in a shop pod",
                TimeSpan.FromSeconds(30));
        }

        // Configuration and secrets reach the pods; the shop runs as its service account.
        var shopEnv = await kubectl.OkAsync("exec", "deploy/shop", "--", "env");
        Assert.Contains("GREETING=hello from the shop\n", shopEnv, StringComparison.Ordinal);
        Assert.Contains("STORE_PASSWORD=s3cret\n", shopEnv, StringComparison.Ordinal);
        Assert.Contains("STORE_PASSWORD=s3cret\n", await kubectl.OkAsync("exec", "store-0", "--", "env"), StringComparison.Ordinal);
        Assert.Equal("shop shop", await kubectl.OkAsync("get", "pods", "-l", "app=shop", "-o", "jsonpath={.items[*].spec.serviceAccountName}"));

        // The shop Service answers from one of its pods.
        var clusterIP = await kubectl.OkAsync("get", "service", "shop", "-o", "jsonpath={.spec.clusterIP}");
        var shops = (await kubectl.OkAsync("get", "pods", "-l", "app=shop", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ');
        using var http = HttpLoop.NewClient();
        var answer = "";
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    answer = await HttpLoop.GetAsync(http, new Uri($"http://{clusterIP}/hostname"));
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the shop Service answering on its cluster IP",
            TimeSpan.FromSeconds(30));
        Assert.Contains(answer, shops);

        // A deleted store pod comes back under its name (a new uid), and its name resolves to it again.
        var uid = await kubectl.OkAsync("get", "pod", "store-1", "-o", "jsonpath={.metadata.uid}");
        await kubectl.OkAsync("delete", "pod", "store-1", "--wait=false");
        var again = await cluster.KubectlUntilAsync(
            o => o.Split(' ') is [var u, "True", { Length: > 0 }] && u != uid,
            TimeSpan.FromSeconds(120),
            "get", "pod", "store-1", "-o", "jsonpath={.metadata.uid} {.status.conditions[?(@.type==\"Ready\")].status} {.status.podIP}");
        var ip1 = again.Split(' ')[2];
        await Eventually.TrueAsync(
            async () => (await kubectl.RunAsync(["exec", "deploy/shop", "--", "getent", "hosts", "store-1.store"])).Stdout.StartsWith(ip1 + " ", StringComparison.Ordinal),
            "store-1.store resolving to the new store-1",
            TimeSpan.FromSeconds(30));
    }
}
