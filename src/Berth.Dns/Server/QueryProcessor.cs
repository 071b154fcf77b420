using Berth.Dns.Wire;
using Berth.Dns.Zone;

namespace Berth.Dns.Server;

/// <summary>
/// The hot path: a query's bytes in, a response's bytes out, without allocating for names that exist (answers are
/// rendered once per name and type and kept on the zone's nodes) or do not (NXDOMAIN from one SOA template). Pod
/// names and CNAMEs followed inside the zone are rendered per query. Thread-safe: it reads the published snapshot.
/// </summary>
internal sealed class QueryProcessor
{
    private const ushort ClassIn = 1;
    private const ushort ClassAny = 255;

    private readonly ZoneIndex _index;
    private readonly int _maxUdpSize;
    private readonly byte[] _negativeSoa;
    private readonly int _apexWireLength;
    private readonly string _podSuffix;
    private readonly Func<NameNode, RecordType, RenderedAnswer> _render;
    private long _renders;

    public QueryProcessor(ZoneIndex index, int maxUdpSize)
    {
        _index = index;
        _maxUdpSize = maxUdpSize;
        var config = index.Config;
        _negativeSoa = NegativeSoa(config);
        _apexWireLength = DnsName.WireLength(config.Domain);
        _podSuffix = "." + config.PodSuffix;
        _render = (node, type) =>
        {
            Interlocked.Increment(ref _renders);
            return AnswerRenderer.Render(node.Name, ZoneResolver.Answer(_index.Current!, node, type));
        };
    }

    /// <summary>The UDP payload size advertised in our OPT records.</summary>
    public ushort UdpSize => (ushort)_maxUdpSize;

    /// <summary>How many answers have been rendered (the rest were served from rendered bytes).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    /// <summary>
    /// Answers <paramref name="message"/> into <paramref name="response"/> (at least 64 KiB + 2 for TCP, the UDP limit
    /// otherwise). <paramref name="allowed"/>: whether the client may ask at all (REFUSED if not).
    /// </summary>
    public QueryAction Process(ReadOnlySpan<byte> message, Span<byte> response, bool tcp, bool allowed, out DnsQuery query, out int length)
    {
        length = 0;
        switch (QueryParser.Parse(message, out query))
        {
            case ParseOutcome.Drop:
                return QueryAction.Drop;
            case ParseOutcome.FormErr:
                length = ResponseWriter.WriteHeaderOnly(message, ResponseCode.FormErr, response);
                return QueryAction.Respond;
            case ParseOutcome.NotImp:
                length = ResponseWriter.WriteHeaderOnly(message, ResponseCode.NotImp, response);
                return QueryAction.Respond;
            case ParseOutcome.BadVersion:
                length = ResponseWriter.WriteBadVersion(message, query, response, UdpSize);
                return QueryAction.Respond;
        }

        if (!allowed)
        {
            length = ResponseWriter.WriteEmpty(message, query, ResponseCode.Refused, authoritative: false, truncated: false, response, UdpSize);
            return QueryAction.Respond;
        }

        Span<char> buffer = stackalloc char[DnsName.MaxTextLength + 1];
        var name = buffer[..DnsName.ToLowerText(message[DnsQuery.QuestionOffset..], buffer)];
        var limit = ResponseWriter.Limit(query, tcp, _maxUdpSize);
        var zone = _index.Current;
        var config = _index.Config;
        if (zone is null || (query.Class != ClassIn && query.Class != ClassAny)
            || query.Type is (ushort)RecordType.AXFR or (ushort)RecordType.IXFR)
        {
            if (config.ApexOf(name) is null)
            {
                return QueryAction.Forward;
            }

            // Not synced yet: SERVFAIL rather than a false NXDOMAIN (CoreDNS does the same). Other classes and zone
            // transfers are not served.
            var rcode = zone is null ? ResponseCode.ServFail : ResponseCode.Refused;
            length = ResponseWriter.WriteEmpty(message, query, rcode, authoritative: false, truncated: false, response, UdpSize);
            return QueryAction.Respond;
        }

        if (zone.TryGetNode(name, out var node))
        {
            if (node.Cname is not null && query.Type is not ((ushort)RecordType.CNAME or (ushort)RecordType.ANY) && !ZoneResolver.DependsOnOtherNames(zone, node))
            {
                return QueryAction.Chase;
            }

            var answer = ZoneResolver.DependsOnOtherNames(zone, node)
                ? AnswerRenderer.Render(node.Name, ZoneResolver.Answer(zone, node, (RecordType)query.Type))
                : node.Rendered(query.Type, _render);
            length = ResponseWriter.WriteAnswer(message, query, answer, response, limit, UdpSize);
            return QueryAction.Respond;
        }

        if (!DnsName.IsAtOrBelow(name, config.Domain))
        {
            return QueryAction.Forward;
        }

        if (name.EndsWith(_podSuffix, StringComparison.Ordinal))
        {
            var text = name.ToString();
            var synthesized = ZoneResolver.Synthesize(zone, text, (RecordType)query.Type)!;
            length = ResponseWriter.WriteAnswer(message, query, AnswerRenderer.Render(text, synthesized), response, limit, UdpSize);
            return QueryAction.Respond;
        }

        length = ResponseWriter.WriteNegative(message, query, ResponseCode.NxDomain, _negativeSoa, _apexWireLength, response, limit, UdpSize);
        return QueryAction.Respond;
    }

    /// <summary>
    /// For a query <see cref="Process"/> answered <see cref="QueryAction.Chase"/>: the ExternalName's CNAME record
    /// (owner: the question's name), or null if the zone changed meanwhile.
    /// </summary>
    public ResourceRecord? Cname(ReadOnlySpan<byte> message)
    {
        Span<char> buffer = stackalloc char[DnsName.MaxTextLength + 1];
        var name = buffer[..DnsName.ToLowerText(message[DnsQuery.QuestionOffset..], buffer)];
        return _index.Current is { } zone && zone.TryGetNode(name, out var node) && node.Cname is { } target
            ? new ResourceRecord(node.Name, RecordType.CNAME, zone.Config.Ttl, new NameData(target))
            : null;
    }

    /// <summary>The zone's SOA record with its owner as a compression pointer (aimed per query at the apex in the question).</summary>
    private static byte[] NegativeSoa(ZoneConfig config)
    {
        var writer = new MessageWriter(baseOffset: 0x3FFF);
        writer.WriteUInt16(0xC000);
        writer.WriteUInt16((ushort)RecordType.SOA);
        writer.WriteUInt16(ClassIn);
        writer.WriteUInt32(config.Ttl);
        var length = writer.ReserveLength();
        config.Soa.Write(writer);
        writer.PatchLength(length);
        return writer.ToArray();
    }
}
