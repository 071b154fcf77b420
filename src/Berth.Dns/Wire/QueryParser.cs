using System.Buffers.Binary;

namespace Berth.Dns.Wire;

/// <summary>
/// Reads a query without allocating. Strict where an answer depends on it (one question, a name of plain labels that
/// fits in 255 bytes, no compression in the question), lenient elsewhere (additional records other than OPT are
/// skipped). Every read is bounds-checked: a malformed or truncated message is a value, never an exception.
/// </summary>
internal static class QueryParser
{
    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;

    public static ParseOutcome Parse(ReadOnlySpan<byte> message, out DnsQuery query)
    {
        query = default;
        if (message.Length < HeaderLength)
        {
            return ParseOutcome.Drop;
        }

        query.Id = BinaryPrimitives.ReadUInt16BigEndian(message);
        query.Flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((query.Flags & 0x8000) != 0)
        {
            return ParseOutcome.Drop;
        }

        if (query.Opcode != 0)
        {
            return ParseOutcome.NotImp;
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (questions != 1 || answers != 0 || authority != 0)
        {
            return ParseOutcome.FormErr;
        }

        var nameLength = QuestionNameLength(message[HeaderLength..]);
        if (nameLength < 0 || HeaderLength + nameLength + 4 > message.Length)
        {
            return ParseOutcome.FormErr;
        }

        query.NameLength = nameLength;
        query.Type = BinaryPrimitives.ReadUInt16BigEndian(message[(HeaderLength + nameLength)..]);
        query.Class = BinaryPrimitives.ReadUInt16BigEndian(message[(HeaderLength + nameLength + 2)..]);
        return ParseAdditional(message, query.QuestionEnd, additional, ref query);
    }

    /// <summary>The wire length of an uncompressed name at the start of <paramref name="name"/>, or -1.</summary>
    private static int QuestionNameLength(ReadOnlySpan<byte> name)
    {
        var at = 0;
        while (at < name.Length)
        {
            var label = name[at];
            if (label == 0)
            {
                return at + 1;
            }

            // 0xC0: a compression pointer, 0x40/0x80: extended label types (RFC 6891 §5): none belongs in a question.
            if (label > 63)
            {
                return -1;
            }

            at += 1 + label;
            if (at + 1 > MaxNameLength)
            {
                return -1;
            }
        }

        return -1;
    }

    private static ParseOutcome ParseAdditional(ReadOnlySpan<byte> message, int at, int count, ref DnsQuery query)
    {
        for (var i = 0; i < count; i++)
        {
            var nameEnd = SkipName(message, at);
            if (nameEnd < 0 || nameEnd + 10 > message.Length)
            {
                return ParseOutcome.FormErr;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[nameEnd..]);
            var dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(nameEnd + 8)..]);
            var next = nameEnd + 10 + dataLength;
            if (next > message.Length)
            {
                return ParseOutcome.FormErr;
            }

            if (type == (ushort)RecordType.OPT)
            {
                // RFC 6891 §6.1.1: one OPT at most, owned by the root name.
                if (query.HasOpt || nameEnd != at + 1)
                {
                    return ParseOutcome.FormErr;
                }

                query.HasOpt = true;
                query.UdpSize = BinaryPrimitives.ReadUInt16BigEndian(message[(nameEnd + 2)..]);
                query.EdnsVersion = message[nameEnd + 5];
                query.DnssecOk = (message[nameEnd + 6] & 0x80) != 0;
            }

            at = next;
        }

        return query.HasOpt && query.EdnsVersion != 0 ? ParseOutcome.BadVersion : ParseOutcome.Ok;
    }

    /// <summary>The offset after a possibly compressed name starting at <paramref name="at"/>, or -1.</summary>
    private static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        var length = 0;
        while (at < message.Length)
        {
            var label = message[at];
            if (label == 0)
            {
                return at + 1;
            }

            if ((label & 0xC0) == 0xC0)
            {
                return at + 2 <= message.Length ? at + 2 : -1;
            }

            if (label > 63)
            {
                return -1;
            }

            length += 1 + label;
            at += 1 + label;
            if (length > MaxNameLength)
            {
                return -1;
            }
        }

        return -1;
    }
}
