using System.Buffers.Binary;

namespace Berth.Dns.Wire;

/// <summary>
/// Writes responses on the hot path without allocating: the query's header fields and question (copied, so the
/// client's letter case comes back as sent — RFC 4343 §4.1), then the records, then an OPT record when the query had
/// one (RFC 6891 §7). Never writes more than the limit it is given; an answer that does not fit loses its additional
/// section first, then its records, with TC set (RFC 2181 §9).
/// </summary>
internal static class ResponseWriter
{
    /// <summary>An OPT record without options: root name, type, size, extended rcode, version, flags, length.</summary>
    public const int OptLength = 11;

    private const int HeaderLength = 12;
    private const ushort FlagResponse = 0x8000;
    private const ushort FlagAuthoritative = 0x0400;
    private const ushort FlagTruncated = 0x0200;
    private const ushort FlagRecursionAvailable = 0x0080;

    /// <summary>RD and CD come back as the client sent them (RFC 1035 §4.1.1, RFC 4035 §3.1.6).</summary>
    private const ushort CopiedFlags = 0x0100 | 0x0010;

    /// <summary>The largest response allowed for <paramref name="query"/>: 512 over UDP without EDNS, the advertised size (at least 512, at most ours) with it, 64 KiB over TCP.</summary>
    public static int Limit(in DnsQuery query, bool tcp, int maxUdpSize) =>
        tcp ? ushort.MaxValue : query.HasOpt ? Math.Clamp(query.UdpSize, 512, Math.Max(512, maxUdpSize)) : 512;

    /// <summary>An answer rendered earlier; returns the bytes written.</summary>
    public static int WriteAnswer(ReadOnlySpan<byte> message, in DnsQuery query, RenderedAnswer answer, Span<byte> response, int limit, ushort udpSize)
    {
        var fixedPart = query.QuestionEnd + (query.HasOpt ? OptLength : 0);
        int records;
        ushort additional;
        var truncated = answer.Truncated;
        if (fixedPart + answer.Records.Length <= limit)
        {
            records = answer.Records.Length;
            additional = answer.AdditionalCount;
        }
        else if (fixedPart + answer.MainLength <= limit)
        {
            // The additional section is optional: leaving it out needs no TC (RFC 2181 §9).
            records = answer.MainLength;
            additional = 0;
        }
        else
        {
            return WriteEmpty(message, query, answer.Rcode, answer.Authoritative, truncated: true, response, udpSize);
        }

        var at = WriteHeader(message, query, answer.Rcode, answer.Authoritative, truncated, response);
        BinaryPrimitives.WriteUInt16BigEndian(response[6..], answer.AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(response[8..], answer.AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(additional + (query.HasOpt ? 1 : 0)));
        answer.Records.AsSpan(0, records).CopyTo(response[at..]);
        at += records;
        return WriteOpt(query, response, at, udpSize, extendedRcode: 0);
    }

    /// <summary>
    /// A negative answer whose authority section is one SOA record: <paramref name="soa"/> is that record with its
    /// owner written as a pointer to be aimed at the apex, which is the last <paramref name="apexWireLength"/> bytes of
    /// the question name.
    /// </summary>
    public static int WriteNegative(ReadOnlySpan<byte> message, in DnsQuery query, ResponseCode rcode, ReadOnlySpan<byte> soa, int apexWireLength, Span<byte> response, int limit, ushort udpSize)
    {
        if (query.QuestionEnd + soa.Length + (query.HasOpt ? OptLength : 0) > limit)
        {
            return WriteEmpty(message, query, rcode, authoritative: true, truncated: true, response, udpSize);
        }

        var at = WriteHeader(message, query, rcode, authoritative: true, truncated: false, response);
        BinaryPrimitives.WriteUInt16BigEndian(response[8..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(query.HasOpt ? 1 : 0));
        soa.CopyTo(response[at..]);
        var apexOffset = DnsQuery.QuestionOffset + query.NameLength - apexWireLength;
        BinaryPrimitives.WriteUInt16BigEndian(response[at..], (ushort)(0xC000 | apexOffset));
        return WriteOpt(query, response, at + soa.Length, udpSize, extendedRcode: 0);
    }

    /// <summary>The question and no records (SERVFAIL, REFUSED, or a truncated answer).</summary>
    public static int WriteEmpty(ReadOnlySpan<byte> message, in DnsQuery query, ResponseCode rcode, bool authoritative, bool truncated, Span<byte> response, ushort udpSize)
    {
        var at = WriteHeader(message, query, rcode, authoritative, truncated, response);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(query.HasOpt ? 1 : 0));
        return WriteOpt(query, response, at, udpSize, extendedRcode: 0);
    }

    /// <summary>BADVERS (16): header RCODE 0, the upper bits in the OPT record (RFC 6891 §6.1.3).</summary>
    public static int WriteBadVersion(ReadOnlySpan<byte> message, in DnsQuery query, Span<byte> response, ushort udpSize)
    {
        var at = WriteHeader(message, query, ResponseCode.NoError, authoritative: false, truncated: false, response);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], 1);
        return WriteOpt(query, response, at, udpSize, extendedRcode: 1);
    }

    /// <summary>The header alone, for a message whose question could not be read (FORMERR, NOTIMP).</summary>
    public static int WriteHeaderOnly(ReadOnlySpan<byte> message, ResponseCode rcode, Span<byte> response)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        response[..HeaderLength].Clear();
        message[..2].CopyTo(response);
        var opcode = (ushort)(flags & 0x7800);
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], (ushort)(FlagResponse | opcode | (flags & CopiedFlags) | FlagRecursionAvailable | (ushort)rcode));
        return HeaderLength;
    }

    private static int WriteHeader(ReadOnlySpan<byte> message, in DnsQuery query, ResponseCode rcode, bool authoritative, bool truncated, Span<byte> response)
    {
        BinaryPrimitives.WriteUInt16BigEndian(response, query.Id);
        var flags = FlagResponse | (query.Flags & CopiedFlags) | FlagRecursionAvailable | (ushort)rcode
            | (authoritative ? FlagAuthoritative : 0) | (truncated ? FlagTruncated : 0);
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(response[4..], 1);
        response[6..HeaderLength].Clear();
        var question = message[DnsQuery.QuestionOffset..query.QuestionEnd];
        question.CopyTo(response[DnsQuery.QuestionOffset..]);
        return query.QuestionEnd;
    }

    private static int WriteOpt(in DnsQuery query, Span<byte> response, int at, ushort udpSize, byte extendedRcode)
    {
        if (!query.HasOpt)
        {
            return at;
        }

        var opt = response.Slice(at, OptLength);
        opt[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], udpSize);
        opt[5] = extendedRcode;
        opt[6] = 0;
        opt[7] = query.DnssecOk ? (byte)0x80 : (byte)0;
        opt[8] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(opt[9..], 0);
        return at + OptLength;
    }
}
