using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Allocation;

/// <summary>A tiny service CIDR and NodePort range, to reach "range is full" and survive a restart.</summary>
public sealed class RangeExhaustionTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-range-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private ApiServerOptions Options() => new() { DataDir = _dataDir, ApiPort = 0, ServiceCidr = "10.0.0.0/29", ServiceNodePortRange = "30000-30001" };

    private static V1Service Svc(string name, string? type = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Type = type, Ports = [new V1ServicePort { Port = 80 }] },
    };

    [Fact]
    public async Task ClusterIpRange_Full_InternalErrorAndSurvivesRestart()
    {
        var created = new List<string>();
        await using (var host = await ApiServerHost.StartAsync(Options(), null, CancellationToken.None))
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(host.KubeconfigPath));

            // A /29 has 6 usable addresses; the kubernetes Service holds the first.
            for (var i = 0; i < 5; i++)
            {
                created.Add((await client.CoreV1.CreateNamespacedServiceAsync(Svc($"s{i}"), "default")).Spec.ClusterIP);
            }

            var status = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAsync(Svc("one-too-many"), "default"), 500);

            Assert.Equal("Internal error occurred: failed to allocate a serviceIP: range is full", status.Message);
            Assert.Equal(5, created.Distinct().Count());
        }

        await using (var host = await ApiServerHost.StartAsync(Options(), null, CancellationToken.None))
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(host.KubeconfigPath));

            // After a restart the allocations are rebuilt from the stored Services: still full, until one is deleted.
            await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAsync(Svc("still-full"), "default"), 500);
            await client.CoreV1.DeleteNamespacedServiceAsync("s2", "default");
            var reused = await client.CoreV1.CreateNamespacedServiceAsync(Svc("fits-again"), "default");

            Assert.Equal(created[2], reused.Spec.ClusterIP);
        }
    }

    [Fact]
    public async Task NodePortRange_Full_InternalError()
    {
        await using var host = await ApiServerHost.StartAsync(Options(), null, CancellationToken.None);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(host.KubeconfigPath));
        await client.CoreV1.CreateNamespacedServiceAsync(Svc("np0", "NodePort"), "default");
        await client.CoreV1.CreateNamespacedServiceAsync(Svc("np1", "NodePort"), "default");

        var status = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAsync(Svc("np2", "NodePort"), "default"), 500);

        Assert.Equal("Internal error occurred: failed to allocate a nodePort: range is full", status.Message);
        await StatusAssert.FailsAsync(() => client.CoreV1.ReadNamespacedServiceAsync("np2", "default"), 404);
    }
}
