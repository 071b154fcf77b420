using System.Net;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Dns.Tests.Infrastructure;
using DnsClient;
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

    private async Task<Node> StartAsync(IPEndPoint address, ILoggerFactory loggers)
    {
        var api = HttpApiClient.FromKubeconfig(cluster.Server.KubeconfigPath);
        var informers = new SharedInformers(api);
        var options = new ClusterDnsOptions { Address = address };
        options.Upstreams.Add(cluster.Upstream.Endpoint);
        var dns = new ClusterDns(informers, options, loggers);
        await informers.StartAsync(CancellationToken.None);
        await dns.StartAsync(CancellationToken.None);
        return new Node(dns, informers, api);
    }

    /// <summary>Another node's DNS: its server, informers and client, stopped together.</summary>
    private sealed class Node(ClusterDns dns, SharedInformers informers, HttpApiClient api) : IAsyncDisposable
    {
        public ClusterDns Dns => dns;

        public async ValueTask DisposeAsync()
        {
            await dns.DisposeAsync();
            await informers.DisposeAsync();
            api.Dispose();
        }
    }
}
