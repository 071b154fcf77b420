using System.Net;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>A or AAAA: one address.</summary>
internal sealed record AddressData(IPAddress Address) : RecordData
{
    public override void Write(MessageWriter writer) => writer.WriteBytes(Address.GetAddressBytes());

    public override string Text => Address.ToString();
}
