using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>The RDATA of a record: how it is written on the wire and shown in presentation format (as dig prints it).</summary>
internal abstract record RecordData
{
    public abstract void Write(MessageWriter writer);

    public abstract string Text { get; }
}
