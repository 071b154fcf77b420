using System.Net;
using Berth.Proxy.Balancing;
using Berth.Proxy.Health;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Berth.Proxy.Userspace;

namespace Berth.Proxy.Tests.Userspace;

/// <summary>The small pure parts: the PROXY v2 header, kube-proxy's health answers, the trace ring.</summary>
public sealed class SmallPartsTests
{
    [Fact]
    public void ProxyProtocolV2_IPv4_IsTheSpecHeader()
    {
        var header = new byte[ProxyProtocolV2.MaxLength];

        var length = ProxyProtocolV2.Write(header, IPEndPoint.Parse("127.1.2.3:40000"), IPEndPoint.Parse("127.96.0.5:80"));

        Assert.Equal(28, length);
        Assert.Equal(
            "0D0A0D0A000D0A515549540A" + "21" + "11" + "000C" + "7F010203" + "7F600005" + "9C40" + "0050",
            Convert.ToHexString(header, 0, length));
    }

    [Fact]
    public void ProxyProtocolV2_IPv6_Uses36AddressBytes()
    {
        var header = new byte[ProxyProtocolV2.MaxLength];

        var length = ProxyProtocolV2.Write(header, IPEndPoint.Parse("[::1]:1"), IPEndPoint.Parse("[fd00::5]:80"));

        Assert.Equal(52, length);
        Assert.Equal(0x21, header[13]);
        Assert.Equal(36, (header[14] << 8) | header[15]);
    }

    [Fact]
    public void HealthCheckBody_IsKubeProxysJson()
    {
        var body = ServiceHealthServer.Body(new ServiceRef("default", "web", "u1"), 2, healthy: true);

        Assert.Equal("{\n\t\"service\": {\n\t\t\"namespace\": \"default\",\n\t\t\"name\": \"web\"\n\t},\n\t\"localEndpoints\": 2,\n\t\"serviceProxyHealthy\": true\n}", body);
    }

    [Fact]
    public void ProxyHealth_ChangeWaitingPastTheTimeout_IsUnhealthyUntilSynced()
    {
        var time = new ManualTimeProvider();
        var health = new ProxyHealth(time, TimeSpan.FromSeconds(60));

        health.QueuedUpdate();
        time.Advance(TimeSpan.FromSeconds(59));
        var before = health.IsHealthy();
        time.Advance(TimeSpan.FromSeconds(2));
        var late = health.IsHealthy();
        health.Updated(time.GetUtcNow());

        Assert.True(before);
        Assert.False(late);
        Assert.True(health.IsHealthy());
    }

    [Fact]
    public void ProxyHealth_ChangeDuringTheSync_StaysPending()
    {
        var time = new ManualTimeProvider();
        var health = new ProxyHealth(time, TimeSpan.FromSeconds(60));
        var syncStarted = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(1));

        health.QueuedUpdate();
        health.Updated(syncStarted);
        time.Advance(TimeSpan.FromSeconds(61));

        Assert.False(health.IsHealthy());
    }

    [Theory]
    [InlineData("127.244.0.7")]
    [InlineData("::1")]
    [InlineData("fd00::5")]
    [InlineData("::ffff:10.0.0.1")]
    public void ClientKey_BackToTheAddress(string address)
    {
        var ip = IPAddress.Parse(address);

        var back = ClientKey.ToAddress(ClientKey.Of(ip));

        Assert.Equal(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, back);
    }

    [Fact]
    public void ConnectionTrace_Full_KeepsTheLatestOldestFirst()
    {
        var trace = new ConnectionTrace(3);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entry = new EntryPoint(IPAddress.Loopback, 80, TransportProtocol.TCP, EntryKind.ClusterIP);
        var port = new ServicePortName("default", "web", "http", TransportProtocol.TCP);

        for (var i = 0; i < 5; i++)
        {
            trace.Add(new TraceRecord(start.AddSeconds(i), ClientKey.Of(IPAddress.Loopback), 1000 + i, entry, port, new BackendEndpoint(IPAddress.Parse("10.0.0.1"), 80), Decision.Policy, null));
        }

        var entries = trace.Snapshot();

        Assert.Equal([1002, 1003, 1004], entries.Select(e => e.Client.Port));
        Assert.All(entries, e => Assert.Equal(IPAddress.Loopback, e.Client.Address));
        Assert.All(entries, e => Assert.Equal("10.0.0.1:80", e.Endpoint));
    }

    [Fact]
    public void TraceText_HasOneAlignedRowPerDecision()
    {
        var entry = new EntryPoint(IPAddress.Parse("127.96.0.5"), 80, TransportProtocol.TCP, EntryKind.ClusterIP);
        var port = new ServicePortName("default", "web", "http", TransportProtocol.TCP);
        TraceEntry[] entries =
        [
            new(DateTimeOffset.UnixEpoch, IPEndPoint.Parse("127.0.0.1:5000"), entry, port, "127.244.0.2:8080", Decision.Retry, "after 127.244.0.3:8080 refused"),
        ];

        var text = TraceFormat.Text(entries);
        var json = TraceFormat.Json(entries);

        Assert.Contains("default/web:http", text);
        Assert.Contains("retry (after 127.244.0.3:8080 refused)", text);
        Assert.Contains("\"decision\": \"retry\"", json);
    }
}
