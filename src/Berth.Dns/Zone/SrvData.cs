using System.Globalization;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>SRV (RFC 2782). The target is never compressed: RFC 2782 forbids it and some clients reject it.</summary>
internal sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : RecordData
{
    public override void Write(MessageWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress: false);
    }

    public override string Text => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}.");
}
