using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>RDATA of a type we pass through unchanged (RFC 3597 §5 presentation: <c>\# length hex</c>).</summary>
internal sealed record RawData(byte[] Bytes) : RecordData
{
    public override void Write(MessageWriter writer) => writer.WriteBytes(Bytes);

    public override string Text => $"\\# {Bytes.Length} {Convert.ToHexString(Bytes)}";
}
