using System.Buffers.Binary;
using System.Text;

namespace Berth.Dns.Wire;

/// <summary>
/// Writes resource records for an answer that is rendered once and then served many times. It knows where its bytes
/// will sit in the final message (<see cref="BaseOffset"/>: after the header and the question) and the names already
/// there, so names compress into the question (RFC 1035 §4.1.4). Rendering is off the hot path: clarity over speed.
/// </summary>
internal sealed class MessageWriter
{
    /// <summary>A compression pointer holds 14 bits of offset.</summary>
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);
    private byte[] _buffer;

    public MessageWriter(int baseOffset, int capacity = 512)
    {
        BaseOffset = baseOffset;
        _buffer = new byte[capacity];
    }

    /// <summary>The message offset of this writer's first byte.</summary>
    public int BaseOffset { get; }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Tells the writer that <paramref name="name"/> is at message offset <paramref name="offset"/> (the question's name).</summary>
    public void AddKnownName(string name, int offset) => Remember(DnsName.Labels(name), 0, offset);

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Writes <paramref name="name"/>, ending in a pointer to the longest suffix already in the message.</summary>
    public void WriteName(string name, bool compress = true)
    {
        var labels = DnsName.Labels(name);
        for (var i = 0; i < labels.Length; i++)
        {
            if (compress && _names.TryGetValue(Suffix(labels, i), out var offset))
            {
                WriteUInt16((ushort)(0xC000 | offset));
                return;
            }

            var here = BaseOffset + Length;
            if (here <= MaxPointerOffset)
            {
                _names.TryAdd(Suffix(labels, i), here);
            }

            var bytes = Encoding.ASCII.GetBytes(labels[i]);
            Ensure(1 + bytes.Length);
            _buffer[Length++] = (byte)bytes.Length;
            WriteBytes(bytes);
        }

        Ensure(1);
        _buffer[Length++] = 0;
    }

    /// <summary>Writes a 16-bit placeholder and returns where, for <see cref="PatchLength"/>.</summary>
    public int ReserveLength()
    {
        WriteUInt16(0);
        return Length - 2;
    }

    /// <summary>Writes the number of bytes written since <paramref name="at"/> + 2 into the placeholder at <paramref name="at"/>.</summary>
    public void PatchLength(int at) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), (ushort)(Length - at - 2));

    /// <summary>Forgets everything written after <paramref name="length"/> (a record that did not fit).</summary>
    public void Truncate(int length)
    {
        Length = length;
        foreach (var (name, offset) in _names.ToList())
        {
            if (offset >= BaseOffset + length)
            {
                _names.Remove(name);
            }
        }
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private static string Suffix(string[] labels, int from) => string.Join('.', labels, from, labels.Length - from);

    private void Remember(string[] labels, int from, int offset)
    {
        for (var i = from; i < labels.Length && offset <= MaxPointerOffset; i++)
        {
            _names.TryAdd(Suffix(labels, i), offset);
            offset += 1 + labels[i].Length;
        }
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
