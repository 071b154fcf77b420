using System.Globalization;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>SOA (RFC 1035 §3.3.13). <see cref="Minimum"/> is the negative-caching TTL (RFC 2308 §4).</summary>
internal sealed record SoaData(string MName, string RName, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : RecordData
{
    public override void Write(MessageWriter writer)
    {
        writer.WriteName(MName, compress: false);
        writer.WriteName(RName, compress: false);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }

    public override string Text => string.Create(CultureInfo.InvariantCulture, $"{MName}. {RName}. {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}
