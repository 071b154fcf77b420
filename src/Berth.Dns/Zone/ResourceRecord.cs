using System.Globalization;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>One record of class IN: owner name (lower-case dotted text), type, TTL and data.</summary>
internal sealed record ResourceRecord(string Name, RecordType Type, uint Ttl, RecordData Data)
{
    private const ushort ClassIn = 1;

    public void Write(MessageWriter writer)
    {
        writer.WriteName(Name);
        writer.WriteUInt16((ushort)Type);
        writer.WriteUInt16(ClassIn);
        writer.WriteUInt32(Ttl);
        var length = writer.ReserveLength();
        Data.Write(writer);
        writer.PatchLength(length);
    }

    /// <summary>Presentation format, as dig prints it: <c>name. ttl IN TYPE data</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}.\t{Ttl}\tIN\t{Type}\t{Data.Text}");
}
