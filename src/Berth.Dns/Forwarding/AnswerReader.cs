using System.Buffers.Binary;
using System.Net;
using System.Text;
using Berth.Dns.Wire;
using Berth.Dns.Zone;

namespace Berth.Dns.Forwarding;

/// <summary>
/// Reads the answer section of an upstream response into records (names decompressed), so they can be put behind a
/// CNAME of ours in a message of our own: an ExternalName Service's target, resolved upstream.
/// </summary>
internal static class AnswerReader
{
    public static IReadOnlyList<ResourceRecord>? Answers(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12)
        {
            return null;
        }

        var at = 12;
        for (var i = BinaryPrimitives.ReadUInt16BigEndian(message[4..]); i > 0; i--)
        {
            if (ReadName(message, ref at) is null || (at += 4) > message.Length)
            {
                return null;
            }
        }

        var records = new List<ResourceRecord>();
        for (var i = BinaryPrimitives.ReadUInt16BigEndian(message[6..]); i > 0; i--)
        {
            if (ReadName(message, ref at) is not { } owner || at + 10 > message.Length)
            {
                return null;
            }

            var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(at + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            var data = at + 10;
            at = data + length;
            if (at > message.Length)
            {
                return null;
            }

            var rdata = message[data..at];
            RecordData? value = type switch
            {
                RecordType.A when length == 4 => new AddressData(new IPAddress(rdata)),
                RecordType.AAAA when length == 16 => new AddressData(new IPAddress(rdata)),
                RecordType.CNAME or RecordType.PTR or RecordType.NS => ReadName(message, ref data) is { } name ? new NameData(name) : null,
                _ => new RawData(rdata.ToArray()),
            };
            if (value is null)
            {
                return null;
            }

            records.Add(new ResourceRecord(owner, type, ttl, value));
        }

        return records;
    }

    /// <summary>A possibly compressed name at <paramref name="at"/> as dotted text (advancing past it), or null.</summary>
    private static string? ReadName(ReadOnlySpan<byte> message, ref int at)
    {
        var text = new StringBuilder();
        var position = at;
        var jumped = false;
        for (var hops = 0; hops < 64 && position < message.Length; hops++)
        {
            var label = message[position];
            if (label == 0)
            {
                if (!jumped)
                {
                    at = position + 1;
                }

                return text.ToString();
            }

            if ((label & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length)
                {
                    return null;
                }

                if (!jumped)
                {
                    at = position + 2;
                }

                jumped = true;
                position = ((label & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (label > 63 || position + 1 + label > message.Length)
            {
                return null;
            }

            text.Append(text.Length > 0 ? "." : "").Append(Encoding.ASCII.GetString(message.Slice(position + 1, label)));
            position += 1 + label;
        }

        return null;
    }
}
