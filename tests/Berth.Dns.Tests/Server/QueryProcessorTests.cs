using Berth.Dns.Server;
using Berth.Dns.Tests.Infrastructure;
using Berth.Dns.Wire;
using Berth.Dns.Zone;
using k8s.Models;

namespace Berth.Dns.Tests.Server;

/// <summary>The hot path on hand-made bytes: header rules, EDNS, truncation, case echo, refusals (no sockets).</summary>
public sealed class QueryProcessorTests
{
    private readonly QueryProcessor _processor = new(Zone(), maxUdpSize: 1232);
    private readonly byte[] _response = new byte[65537];

    internal static ZoneIndex Zone()
    {
        var index = new ZoneIndex(new ZoneConfig("cluster.local", 5, 1));
        index.AddNamespace("default");
        index.SetService(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.0.20", ClusterIPs = ["10.96.0.20"], Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] },
        });
        index.SetService(new V1Service { Metadata = new V1ObjectMeta { Name = "big", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { ClusterIP = "None" } });
        index.SetSlice(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "big-1", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "big" } },
            AddressType = "IPv4",
            Endpoints = [.. Enumerable.Range(1, 200).Select(i => new V1Endpoint { Addresses = [$"10.1.0.{i}"] })],
        });
        return index;
    }

    [Fact]
    public void Process_Answer_EchoesIdAndQuestionCase_SetsAaAndRa()
    {
        var query = Queries.Build("wEb.DEFAULT.svc.cluster.local", RecordType.A, id: 0xBEEF);

        var action = _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length);

        Assert.Equal(QueryAction.Respond, action);
        Assert.Equal(0xBEEF, Queries.Id(_response));
        Assert.Equal(query.AsSpan(12).ToArray(), _response.AsSpan(12, query.Length - 12).ToArray());
        Assert.Equal(0x85, _response[2]); // QR, AA, RD
        Assert.Equal(0x80, _response[3]); // RA, NOERROR
        Assert.Equal(1, Queries.Count(_response, 1));
        Assert.Equal(new byte[] { 10, 96, 0, 20 }, _response.AsSpan(length - 4, 4).ToArray());
    }

    [Fact]
    public void Process_BigAnswerOverUdp_TruncatesWithinTheLimit_AndFitsOverTcp()
    {
        var plain = Queries.Build("big.default.svc.cluster.local", RecordType.A);
        var edns = Queries.Build("big.default.svc.cluster.local", RecordType.A, ednsSize: 4096);

        _processor.Process(plain, _response, tcp: false, allowed: true, out _, out var plainLength);
        var plainTruncated = Queries.Truncated(_response);
        _processor.Process(edns, _response, tcp: false, allowed: true, out _, out var ednsLength);
        var ednsTruncated = Queries.Truncated(_response);
        _processor.Process(plain, _response, tcp: true, allowed: true, out _, out var tcpLength);

        Assert.True(plainTruncated);
        Assert.True(plainLength <= 512);
        Assert.True(ednsTruncated);
        Assert.True(ednsLength <= 1232);
        Assert.False(Queries.Truncated(_response));
        Assert.Equal(200, Queries.Count(_response, 1));
        Assert.True(tcpLength > 1232);
    }

    [Fact]
    public void Process_EdnsQuery_GetsAnOptRecord_WithOurSize()
    {
        var query = Queries.Build("web.default.svc.cluster.local", RecordType.A, ednsSize: 4096);

        _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length);

        Assert.Equal(1, Queries.Count(_response, 3));
        Assert.Equal(new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 }, _response.AsSpan(length - 11, 11).ToArray());
    }

    [Theory]
    [InlineData(0x8100, null)] // a response: dropped, answering could loop
    [InlineData(0x2900, ResponseCode.NotImp)] // opcode UPDATE
    internal void Process_NotAStandardQuery_IsDroppedOrRefusedByOpcode(int flags, ResponseCode? rcode)
    {
        var query = Queries.Build("web.default.svc.cluster.local", RecordType.A, flags: (ushort)flags);

        var action = _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length);

        Assert.Equal(rcode is null ? QueryAction.Drop : QueryAction.Respond, action);
        if (rcode is { } expected)
        {
            Assert.Equal((expected, 12), (Queries.Rcode(_response), length));
        }
    }

    [Fact]
    public void Process_MalformedQuestions_AreFormErr()
    {
        var twoQuestions = Queries.Build("web.default.svc.cluster.local", RecordType.A);
        twoQuestions[5] = 2;
        var pointer = Queries.Build("web.default.svc.cluster.local", RecordType.A);
        pointer[12] = 0xC0;
        var cut = Queries.Build("web.default.svc.cluster.local", RecordType.A)[..20];

        Assert.All([twoQuestions, pointer, cut], query =>
        {
            Assert.Equal(QueryAction.Respond, _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length));
            Assert.Equal((ResponseCode.FormErr, 12), (Queries.Rcode(_response), length));
        });
    }

    [Fact]
    public void Process_EdnsVersion1_IsBadVers()
    {
        var query = Queries.Build("web.default.svc.cluster.local", RecordType.A, ednsSize: 1232, ednsVersion: 1);

        _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length);

        Assert.Equal(ResponseCode.NoError, Queries.Rcode(_response));
        Assert.Equal(1, _response[length - 6]); // extended RCODE 1 << 4 | 0 = BADVERS (16)
    }

    [Fact]
    public void Process_ClientNotAllowed_IsRefused_AndNothingIsForwarded()
    {
        var local = Queries.Build("web.default.svc.cluster.local", RecordType.A);
        var outside = Queries.Build("www.example.com", RecordType.A);

        var localAction = _processor.Process(local, _response, tcp: false, allowed: false, out _, out _);
        var localRcode = Queries.Rcode(_response);
        var outsideAction = _processor.Process(outside, _response, tcp: false, allowed: false, out _, out _);

        Assert.Equal((QueryAction.Respond, ResponseCode.Refused), (localAction, localRcode));
        Assert.Equal((QueryAction.Respond, ResponseCode.Refused), (outsideAction, Queries.Rcode(_response)));
    }

    [Fact]
    public void Process_ZoneTransfer_IsRefused()
    {
        _processor.Process(Queries.Build("cluster.local", RecordType.AXFR), _response, tcp: true, allowed: true, out _, out _);

        Assert.Equal(ResponseCode.Refused, Queries.Rcode(_response));
    }

    [Fact]
    public void Process_BeforeTheZoneIsPublished_IsServFailNotNxDomain()
    {
        var processor = new QueryProcessor(new ZoneIndex(new ZoneConfig("cluster.local", 5, 1)), 1232);

        var zone = processor.Process(Queries.Build("web.default.svc.cluster.local", RecordType.A), _response, tcp: false, allowed: true, out _, out _);
        var rcode = Queries.Rcode(_response);
        var other = processor.Process(Queries.Build("www.example.com", RecordType.A), _response, tcp: false, allowed: true, out _, out _);

        Assert.Equal((QueryAction.Respond, ResponseCode.ServFail), (zone, rcode));
        Assert.Equal(QueryAction.Forward, other);
    }

    [Fact]
    public void Process_SecondQueryOfAName_ReusesTheRenderedAnswer()
    {
        var query = Queries.Build("web.default.svc.cluster.local", RecordType.A);

        _processor.Process(query, _response, tcp: false, allowed: true, out _, out _);
        var renders = _processor.Renders;
        _processor.Process(query, _response, tcp: false, allowed: true, out _, out _);

        Assert.Equal(renders, _processor.Renders);
    }
}
