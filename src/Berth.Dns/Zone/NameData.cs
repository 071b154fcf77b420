using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>CNAME, PTR and NS: one domain name, which may be compressed (RFC 3597 §4: well-known types).</summary>
internal sealed record NameData(string Target) : RecordData
{
    public override void Write(MessageWriter writer) => writer.WriteName(Target);

    public override string Text => Target + ".";
}
