using System.Text;

namespace Berth.Core.Tests.Serialization;

/// <summary>A tiny protobuf writer so tests can spell out messages field by field.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    /// <summary>An object as a Kubernetes client sends it: <c>k8s\0</c> + runtime.Unknown{typeMeta, raw}.</summary>
    public static byte[] Object(string apiVersion, string kind, Action<ProtoWriter> build, string? contentEncoding = null)
    {
        var unknown = new ProtoWriter()
            .Message(1, t => t.String(1, apiVersion).String(2, kind))
            .Message(2, build);
        if (contentEncoding is not null)
        {
            unknown.String(3, contentEncoding);
        }

        return [.. "k8s\0"u8, .. unknown.ToArray()];
    }

    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>An empty nested message, as gogo-protobuf writes a zero-valued struct field.</summary>
    public ProtoWriter Empty(int field) => Bytes(field, []);

    /// <summary>One entry of a map&lt;string, string&gt;.</summary>
    public ProtoWriter Entry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    /// <summary>One entry of a map&lt;string, bytes&gt;.</summary>
    public ProtoWriter Entry(int field, string key, byte[] value) => Message(field, e => e.String(1, key).Bytes(2, value));

    /// <summary>One entry of a map&lt;string, message&gt;.</summary>
    public ProtoWriter Entry(int field, string key, Action<ProtoWriter> value) => Message(field, e => e.String(1, key).Message(2, value));

    public ProtoWriter Packed(int field, params long[] values)
    {
        var inner = new ProtoWriter();
        foreach (var v in values)
        {
            inner.WriteVarint((ulong)v);
        }

        return Bytes(field, inner.ToArray());
    }

    public ProtoWriter Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        _buffer.Write(BitConverter.GetBytes(value));
        return this;
    }

    public ProtoWriter Fixed32(int field, uint value)
    {
        Tag(field, 5);
        _buffer.Write(BitConverter.GetBytes(value));
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
