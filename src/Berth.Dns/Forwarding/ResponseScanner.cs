using System.Buffers.Binary;
using Berth.Dns.Wire;

namespace Berth.Dns.Forwarding;

/// <summary>
/// Walks an upstream response to find what the forward cache needs: where each record's TTL is (to count them down
/// per answer), the smallest TTL (how long to keep it), and the OPT record (dropped: each client gets its own).
/// </summary>
internal static class ResponseScanner
{
    public sealed record Scan(int[] TtlOffsets, uint MinTtl, int OptStart, int OptEnd);

    /// <summary>The scan of <paramref name="message"/>, or null when it is malformed.</summary>
    public static Scan? Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12)
        {
            return null;
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..]) + BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var at = 12;
        for (var i = 0; i < questions; i++)
        {
            at = SkipName(message, at) + 4;
            if (at < 4 || at > message.Length)
            {
                return null;
            }
        }

        var ttls = new List<int>();
        var minTtl = uint.MaxValue;
        int optStart = -1, optEnd = -1;
        for (var i = 0; i < records; i++)
        {
            var start = at;
            at = SkipName(message, at);
            if (at < 0 || at + 10 > message.Length)
            {
                return null;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            var end = at + 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            if (end > message.Length)
            {
                return null;
            }

            if (type == (ushort)RecordType.OPT)
            {
                (optStart, optEnd) = (start, end);
            }
            else
            {
                ttls.Add(at + 4);
                minTtl = Math.Min(minTtl, BinaryPrimitives.ReadUInt32BigEndian(message[(at + 4)..]));
            }

            at = end;
        }

        return new Scan([.. ttls], minTtl, optStart, optEnd);
    }

    private static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        while (at >= 0 && at < message.Length)
        {
            var label = message[at];
            if (label == 0)
            {
                return at + 1;
            }

            if ((label & 0xC0) == 0xC0)
            {
                return at + 2;
            }

            if (label > 63)
            {
                return -1;
            }

            at += 1 + label;
        }

        return -1;
    }
}
