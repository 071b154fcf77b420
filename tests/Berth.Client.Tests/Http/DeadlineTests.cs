using System.Net;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Client.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.Client.Tests.Http;

/// <summary>
/// Issue 11: no API call waits for ever. A server that accepts and never answers fails every call within its
/// deadline, on both transports; an informer whose watch goes silent watches again and sees what happened meanwhile.
/// </summary>
public sealed class DeadlineTests : IClassFixture<ApiServerFixture>
{
    /// <summary>A bound for the test itself, so that a missing deadline fails the test instead of hanging it.</summary>
    private static readonly TimeSpan _hang = TimeSpan.FromSeconds(60);

    private static readonly HttpApiClientOptions _short = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(1),
        ListTimeout = TimeSpan.FromSeconds(2),
        WatchIdleTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly ApiServerFixture _fixture;

    public DeadlineTests(ApiServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("tls")]
    public async Task Calls_ServerAcceptsAndNeverAnswers_TimeOut(string stage)
    {
        await using var server = new SilentServer(stage == "tcp" ? SilentServer.Stage.Tcp : SilentServer.Stage.Tls);
        using var client = HttpApiClient.FromConfig(new KubernetesClientConfiguration { Host = server.Url, SkipTlsVerify = true, AccessToken = "t" }, options: _short);

        var get = await Assert.ThrowsAsync<ApiTimeoutException>(() => client.GetAsync<V1ConfigMap>("default", "x", CancellationToken.None).WaitAsync(_hang));
        var list = await Assert.ThrowsAsync<ApiTimeoutException>(() => client.ListAsync<V1ConfigMap>("default", null, CancellationToken.None).WaitAsync(_hang));
        var create = await Assert.ThrowsAsync<ApiTimeoutException>(() => client.CreateAsync(new V1ConfigMap { Metadata = new() { Name = "x", NamespaceProperty = "default" } }, CancellationToken.None).WaitAsync(_hang));

        Assert.Equal(504, get.Code);
        Assert.Equal("Timeout", get.Reason);
        Assert.Equal("GET /api/v1/namespaces/default/configmaps/x: no complete answer within 1s (client deadline)", get.Message);
        Assert.EndsWith("within 2s (client deadline)", list.Message, StringComparison.Ordinal);
        Assert.StartsWith("POST ", create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_HeadersThenSilence_IdleTimeout()
    {
        await using var server = new SilentServer(SilentServer.Stage.Headers);
        using var client = HttpApiClient.FromConfig(new KubernetesClientConfiguration { Host = server.Url, SkipTlsVerify = true, AccessToken = "t" }, options: _short);

        var e = await Assert.ThrowsAsync<ApiTimeoutException>(() => DrainAsync(client.WatchAsync<V1ConfigMap>("default", "1", new WatchQuery(), CancellationToken.None)).WaitAsync(_hang));

        Assert.EndsWith("nothing received for 1s, not even a bookmark (client deadline)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_InProcessTransportNeverAnswers_TimeOut()
    {
        using var client = HttpApiClient.InProcess(new NeverAnswers(), "t", options: _short);

        await Assert.ThrowsAsync<ApiTimeoutException>(() => client.GetAsync<V1ConfigMap>("default", "x", CancellationToken.None).WaitAsync(_hang));
        await Assert.ThrowsAsync<ApiTimeoutException>(() => DrainAsync(client.WatchAsync<V1ConfigMap>("default", "1", new WatchQuery(), CancellationToken.None)).WaitAsync(_hang));
    }

    [Fact]
    public async Task Calls_CallerCancels_CancelledNotTimedOut()
    {
        await using var server = new SilentServer(SilentServer.Stage.Tls);
        using var client = HttpApiClient.FromConfig(new KubernetesClientConfiguration { Host = server.Url, SkipTlsVerify = true, AccessToken = "t" }, options: new HttpApiClientOptions());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync<V1ConfigMap>("default", "x", cancel.Token).WaitAsync(_hang));
    }

    [Fact]
    public async Task Informer_WatchConnectionGoesSilent_WatchesAgainAndCatchesUp()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, _fixture.Host.Port));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(_fixture.Host.KubeconfigPath);
        config.Host = $"https://127.0.0.1:{relay.Port}";
        // The fixture's server sends bookmarks every 0.5 s: 2 s of silence is a dead connection.
        using var client = HttpApiClient.FromConfig(config, options: new HttpApiClientOptions
        {
            WatchIdleTimeout = TimeSpan.FromSeconds(2),
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
        });
        var informer = new Informer<V1ConfigMap>(client, new InformerOptions { Namespace = ns });
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(_hang);

        relay.Freeze();
        await _fixture.Client.CreateAsync(new V1ConfigMap { Metadata = new() { Name = "made-while-silent", NamespaceProperty = ns } }, CancellationToken.None);

        await Eventually.TrueAsync(() => informer.Lister.Get(ns, "made-while-silent") is not null, "the informer watching again after the silence", _hang);
        Assert.True(relay.Accepted >= 2, "the informer's client opened a new connection");
        await stop.CancelAsync();
        await running;
    }

    private static async Task DrainAsync<T>(IAsyncEnumerable<T> events)
    {
        await foreach (var _ in events)
        {
        }
    }

    /// <summary>The in-process transport's inner handler, stuck: it never produces a response.</summary>
    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
