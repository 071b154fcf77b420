using System.Buffers.Binary;
using Berth.Dns.Wire;

namespace Berth.Dns.Forwarding;

/// <summary>
/// An upstream response kept for reuse: the message without its OPT record, where its TTLs are, and when it was
/// stored. Each client gets a copy with its own ID, question case, EDNS record and TTLs counted down (RFC 1035 §7.4).
/// </summary>
internal sealed class CachedResponse
{
    private const int HeaderLength = 12;

    private readonly byte[] _message;
    private readonly int[] _ttlOffsets;

    private CachedResponse(byte[] message, int[] ttlOffsets, uint ttl, long storedAt)
    {
        _message = message;
        _ttlOffsets = ttlOffsets;
        Ttl = ttl;
        StoredAt = storedAt;
    }

    /// <summary>How long the response stays valid, in seconds: its smallest TTL, capped.</summary>
    public uint Ttl { get; }

    /// <summary>When it was stored (a <see cref="TimeProvider"/> timestamp).</summary>
    public long StoredAt { get; }

    /// <summary>The upstream message, minus its OPT record; null when it cannot be read.</summary>
    public static CachedResponse? From(ReadOnlySpan<byte> message, uint maxTtl, long storedAt)
    {
        if (ResponseScanner.Read(message) is not { } scan)
        {
            return null;
        }

        var bytes = message.ToArray();
        var offsets = scan.TtlOffsets;
        if (scan.OptStart >= 0)
        {
            var length = scan.OptEnd - scan.OptStart;
            bytes = [.. message[..scan.OptStart], .. message[scan.OptEnd..]];
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)) - 1));
            offsets = [.. offsets.Select(o => o > scan.OptStart ? o - length : o)];
        }

        var ttl = scan.TtlOffsets.Length == 0 ? 0 : Math.Min(scan.MinTtl, maxTtl);
        return new CachedResponse(bytes, offsets, ttl, storedAt);
    }

    public ResponseCode Rcode => (ResponseCode)(_message[3] & 0xF);

    /// <summary>The message as stored (TTLs as received).</summary>
    public ReadOnlyMemory<byte> Bytes => _message;

    /// <summary>The response for <paramref name="query"/>, <paramref name="age"/> seconds after it was stored.</summary>
    public int Write(ReadOnlySpan<byte> message, in DnsQuery query, Span<byte> response, int limit, ushort udpSize, uint age)
    {
        var total = _message.Length + (query.HasOpt ? ResponseWriter.OptLength : 0);
        if (total > limit || _message.Length < query.QuestionEnd)
        {
            return ResponseWriter.WriteEmpty(message, query, Rcode, authoritative: false, truncated: true, response, udpSize);
        }

        _message.CopyTo(response);
        BinaryPrimitives.WriteUInt16BigEndian(response, query.Id);

        // RD and CD as the client sent them; the rest of the upstream's flags stand.
        var flags = (ushort)((BinaryPrimitives.ReadUInt16BigEndian(response[2..]) & ~0x0110) | (query.Flags & 0x0110));
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        message[HeaderLength..query.QuestionEnd].CopyTo(response[HeaderLength..]);
        foreach (var offset in _ttlOffsets)
        {
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(_message.AsSpan(offset));
            BinaryPrimitives.WriteUInt32BigEndian(response[offset..], ttl > age ? ttl - age : 0);
        }

        if (!query.HasOpt)
        {
            return _message.Length;
        }

        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(response[10..]) + 1));
        var opt = response[_message.Length..];
        opt[..ResponseWriter.OptLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], udpSize);
        opt[7] = query.DnssecOk ? (byte)0x80 : (byte)0;
        return total;
    }
}
