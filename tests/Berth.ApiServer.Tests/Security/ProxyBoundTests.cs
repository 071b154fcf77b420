using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Security;

/// <summary>
/// The API server's proxies (<c>pods/proxy</c> here; exec, attach and port-forward share <c>UpgradeProxy</c>) against
/// a pod that answers with huge or endless bodies: nothing is buffered whole, and a berth server process's peak
/// resident memory stays within a loose bound while gigabytes are offered.
/// </summary>
public sealed class ProxyBoundTests : IClassFixture<BerthProcessFixture>, IAsyncLifetime
{
    private const long MemoryBound = 100L * 1024 * 1024;

    private readonly BerthProcessFixture _fixture;
    private readonly LoopbackListener _backend;
    private Func<NetworkStream, CancellationToken, Task> _answer = (_, _) => Task.CompletedTask;
    private string _pod = "";
    private long _baseline;

    public ProxyBoundTests(BerthProcessFixture fixture)
    {
        _fixture = fixture;
        _backend = new LoopbackListener(async (stream, ct) =>
        {
            await HttpHead.ReadAsync(stream, ct);
            await _answer(stream, ct);
        });
    }

    public async Task InitializeAsync()
    {
        var port = _backend.Port;
        using var client = _fixture.Server.CreateClient();
        _pod = "backend-" + Guid.NewGuid().ToString("N")[..6];
        var pod = Objects.Pod(_pod);
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = port }];
        await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        // The server's scheduler writes the pod too: retry the status write on a conflict.
        await Eventually.TrueAsync(
            async () =>
            {
                var current = await client.CoreV1.ReadNamespacedPodAsync(_pod, "default");
                current.Status = new V1PodStatus { Phase = "Running", PodIP = "127.0.0.1", PodIPs = [new V1PodIP { Ip = "127.0.0.1" }] };
                try
                {
                    await client.CoreV1.ReplaceNamespacedPodStatusAsync(current, _pod, "default");
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                {
                    return false;
                }
            },
            "the pod's IP written");
        _baseline = _fixture.Server.PeakResidentBytes();
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task RefusedUpgrade_HugeContentLength_ServiceUnavailableWithoutReadingIt()
    {
        _answer = (s, ct) => AnswerEndlesslyAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n", ct);

        var (head, _) = await UpgradeThroughProxyAsync();

        Assert.StartsWith("HTTP/1.1 503", head, StringComparison.Ordinal);
        AssertMemoryBounded();
    }

    [Fact]
    public async Task RefusedUpgrade_EndlessBody_CutOffAtTheBound()
    {
        _answer = (s, ct) => AnswerEndlesslyAsync(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", ct);

        var (head, body) = await UpgradeThroughProxyAsync();

        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.InRange(body, 0, 2 * 1024 * 1024); // 1 MiB relayed, plus chunk framing
        AssertMemoryBounded();
    }

    [Fact]
    public async Task RefusedUpgrade_ChunkedBody_RelayedDecoded()
    {
        _answer = async (s, ct) =>
        {
            await s.WriteAsync("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nno, t\r\n6\r\nhanks.\r\n0\r\n\r\n"u8.ToArray(), ct);
            s.Socket.Shutdown(SocketShutdown.Send);
        };

        var (head, body, text) = await UpgradeThroughProxyWithTextAsync();

        Assert.StartsWith("HTTP/1.1 403", head, StringComparison.Ordinal);
        Assert.EndsWith("no, thanks.", text, StringComparison.Ordinal);
        Assert.True(body > 0);
    }

    [Fact]
    public async Task PlainProxy_EndlessBody_StreamedNotBuffered()
    {
        _answer = (s, ct) => AnswerEndlesslyAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n", ct);
        using var http = _fixture.Server.CreateHttpClient();

        using var response = await http.GetAsync($"/api/v1/namespaces/default/pods/{_pod}/proxy/big", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long read = 0;
        while (read < 512L * 1024 * 1024)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, n);
            read += n;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMemoryBounded();
    }

    private void AssertMemoryBounded() => _fixture.Server.AssertPeakGrowthBelow(_baseline, MemoryBound);

    private static async Task AnswerEndlesslyAsync(Stream stream, string head, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        var chunk = new byte[256 * 1024];
        Array.Fill(chunk, (byte)'x');
        while (true)
        {
            await stream.WriteAsync(chunk, ct);
        }
    }

    private async Task<(string Head, long Body)> UpgradeThroughProxyAsync()
    {
        var (head, body, _) = await UpgradeThroughProxyWithTextAsync();
        return (head, body);
    }

    /// <summary>A WebSocket upgrade through <c>pods/proxy</c> over a raw TLS connection (closed after the answer); reads the answer to its end.</summary>
    private async Task<(string Head, long Body, string Text)> UpgradeThroughProxyWithTextAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _fixture.Server.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", ApplicationProtocols = [SslApplicationProtocol.Http11] });
        var token = File.ReadAllText(Path.Combine(_fixture.Server.DataDir, "admin.token")).Trim();
        var request = $"GET /api/v1/namespaces/default/pods/{_pod}/proxy/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            + "Connection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await tls.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
                Assert.True(received.Length < 64L * 1024 * 1024, "the proxy relayed far more than its bound");
            }
        }
        catch (IOException)
        {
            // An answer cut off at the bound ends with a reset.
        }

        var all = received.ToArray();
        var end = all.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "no response head");
        var text = Encoding.ASCII.GetString(all, end + 4, all.Length - end - 4).Replace("\r\n", "\n", StringComparison.Ordinal);
        return (Encoding.ASCII.GetString(all, 0, end), all.Length - end - 4, Unchunk(text));
    }

    private static string Unchunk(string text) => string.Concat(text.Split('\n').Where((_, i) => i % 2 == 1));
}
