namespace Berth.Dns.Wire;

/// <summary>
/// What the server needs of a query, as offsets and values read from the message buffer (nothing is copied): the
/// header fields, the one question, and the EDNS0 OPT record if there is one.
/// </summary>
internal struct DnsQuery
{
    /// <summary>Where the question starts: right after the 12-byte header.</summary>
    public const int QuestionOffset = 12;

    public ushort Id;

    /// <summary>The header's second 16 bits as sent (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE).</summary>
    public ushort Flags;

    /// <summary>Bytes of the question name in wire format, the root label's zero included.</summary>
    public int NameLength;

    public ushort Type;

    public ushort Class;

    public bool HasOpt;

    /// <summary>The UDP payload size the client advertised in its OPT record (0 without one).</summary>
    public ushort UdpSize;

    /// <summary>The OPT record's DO bit (RFC 3225: copied into the response).</summary>
    public bool DnssecOk;

    public byte EdnsVersion;

    /// <summary>The end of the question section: where the answer goes.</summary>
    public readonly int QuestionEnd => QuestionOffset + NameLength + 4;

    public readonly bool RecursionDesired => (Flags & 0x0100) != 0;

    public readonly int Opcode => (Flags >> 11) & 0xF;
}
