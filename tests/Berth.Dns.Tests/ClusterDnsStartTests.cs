using System.Net;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Dns.Tests.Infrastructure;
using DnsClient;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Dns.Tests;

/// <summary>How the server starts beside others and where it cannot bind.</summary>
public sealed class ClusterDnsStartTests(DnsCluster cluster) : IClassFixture<DnsCluster>
{
    [Fact]
    public async Task StartAsync_AddressNotOnThisMachine_LogsWhatToDo_AndDoesNotThrow()
    {
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var node = await StartAsync(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53), loggers);

        Assert.Empty(node.Dns.Endpoints);
        Assert.Contains(logs.Messages, m => m.Contains("cannot bind 192.0.2.1:53", StringComparison.Ordinal) && m.Contains("--dns-addr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_SecondServerOnTheSameAddress_SharesIt()
    {
        // Two nodes on one machine both serve the kube-dns ClusterIP: SO_REUSEPORT on every socket makes that legal.
        using var loggers = LoggerFactory.Create(_ => { });
        await using var second = await StartAsync(cluster.Endpoint, loggers);

        var answer = await cluster.Lookup().QueryAsync("dns-version.cluster.local", QueryType.TXT);

        Assert.Equal(cluster.Endpoint, second.Dns.Endpoints.Single());
        Assert.Equal("1.1.0", answer.Answers.TxtRecords().Single().Text.Single());
    }

    [Fact]
    public async Task DisposeAsync_DeletesThisNodesEndpointSlice()
    {
        using var loggers = LoggerFactory.Create(_ => { });
        var name = $"leaving-{Guid.NewGuid():N}"[..20];
        await cluster.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });
        await using var node = await StartAsync(new IPEndPoint(IPAddress.Parse(cluster.Spare(20)), 0), loggers, name);
        await Eventually.TrueAsync(async () => await SliceAsync(name) is not null, "the node's slice");

        await node.DisposeAsync();

        Assert.Null(await SliceAsync(name));
    }

    [Fact]
    public async Task Metrics_CountResponsesByTypeAndRcode_WhenScraped()
    {
        using var loggers = LoggerFactory.Create(_ => { });
        var registry = Prometheus.Metrics.NewCustomRegistry();
        await using var node = await StartAsync(new IPEndPoint(IPAddress.Parse(cluster.Spare(21)), 0), loggers, registry: registry);
        var endpoint = node.Dns.Endpoints.Single();
        var lookup = new LookupClient(new LookupClientOptions(new NameServer(endpoint.Address, endpoint.Port)) { UseCache = false, ThrowDnsErrors = false });

        await lookup.QueryAsync("kubernetes.default.svc.cluster.local", QueryType.A);
        await lookup.QueryAsync("nosuch.default.svc.cluster.local", QueryType.A);
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        var metrics = System.Text.Encoding.UTF8.GetString(text.ToArray());

        Assert.Contains("berth_dns_responses_total{type=\"A\",rcode=\"NOERROR\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("berth_dns_responses_total{type=\"A\",rcode=\"NXDOMAIN\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("berth_dns_request_duration_seconds_count 2", metrics, StringComparison.Ordinal);
        Assert.Contains("berth_dns_answer_renders_total 1", metrics, StringComparison.Ordinal);
    }

    private async Task<V1EndpointSlice?> SliceAsync(string node) =>
        (await cluster.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync("kube-system", fieldSelector: $"metadata.name=kube-dns-{node}")).Items.FirstOrDefault();

    private async Task<Node> StartAsync(IPEndPoint address, ILoggerFactory loggers, string? nodeName = null, Prometheus.CollectorRegistry? registry = null)
    {
        var api = HttpApiClient.FromKubeconfig(cluster.Server.KubeconfigPath);
        var informers = new SharedInformers(api);
        var options = new ClusterDnsOptions { Address = address, NodeName = nodeName, Registry = registry };
        options.Upstreams.Add(cluster.Upstream.Endpoint);
        var dns = new ClusterDns(informers, options, loggers);
        await informers.StartAsync(CancellationToken.None);
        await dns.StartAsync(CancellationToken.None);
        return new Node(dns, informers, api);
    }

    /// <summary>Another node's DNS: its server, informers and client, stopped together.</summary>
    private sealed class Node(ClusterDns dns, SharedInformers informers, HttpApiClient api) : IAsyncDisposable
    {
        private bool _disposed;

        public ClusterDns Dns => dns;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await dns.DisposeAsync();
            await informers.DisposeAsync();
            api.Dispose();
        }
    }
}
