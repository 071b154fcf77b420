using System.Text;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>TXT with one character-string (at most 255 bytes).</summary>
internal sealed record TxtData(string Value) : RecordData
{
    public override void Write(MessageWriter writer)
    {
        var bytes = Encoding.ASCII.GetBytes(Value);
        writer.WriteBytes([(byte)bytes.Length]);
        writer.WriteBytes(bytes);
    }

    public override string Text => "\"" + Value + "\"";
}
