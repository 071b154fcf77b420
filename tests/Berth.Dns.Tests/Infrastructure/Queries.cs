using System.Buffers.Binary;
using Berth.Dns.Wire;

namespace Berth.Dns.Tests.Infrastructure;

/// <summary>Query messages built by hand (RFC 1035 §4.1), for tests that need bytes the client libraries will not send.</summary>
internal static class Queries
{
    public static byte[] Build(string name, RecordType type, ushort id = 0x1234, ushort? ednsSize = null, ushort flags = 0x0100, byte ednsVersion = 0)
    {
        var qname = DnsName.Encode(name);
        var message = new byte[12 + qname.Length + 4 + (ednsSize is null ? 0 : 11)];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)(ednsSize is null ? 0 : 1));
        qname.CopyTo(message, 12);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12 + qname.Length), (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(14 + qname.Length), 1);
        if (ednsSize is { } size)
        {
            var opt = message.AsSpan(16 + qname.Length);
            BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.OPT);
            BinaryPrimitives.WriteUInt16BigEndian(opt[3..], size);
            opt[6] = ednsVersion;
        }

        return message;
    }

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static ResponseCode Rcode(ReadOnlySpan<byte> message) => (ResponseCode)(message[3] & 0xF);

    public static bool Truncated(ReadOnlySpan<byte> message) => (message[2] & 0x02) != 0;

    public static ushort Count(ReadOnlySpan<byte> message, int section) => BinaryPrimitives.ReadUInt16BigEndian(message[(4 + (2 * section))..]);
}
