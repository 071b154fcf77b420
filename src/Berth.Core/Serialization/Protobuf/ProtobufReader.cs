using System.Buffers.Binary;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>Reads the protobuf wire format from a span: tags, varints, fixed 32/64-bit values and length-delimited payloads.</summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool End => _position >= _data.Length;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int number, out WireType wireType)
    {
        if (End)
        {
            number = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        number = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (number <= 0 || tag >> 3 > int.MaxValue)
        {
            throw new ProtobufDecodeException($"invalid field number {tag >> 3} at offset {_position}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Truncated("varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ProtobufDecodeException($"varint longer than 10 bytes at offset {_position}");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "fixed64"));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "fixed32"));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Truncated("length-delimited field");
        }

        return Take((int)length, "length-delimited field");
    }

    /// <summary>Skips a field the schema does not know.</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8, "fixed64");
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed32:
                Take(4, "fixed32");
                break;
            default:
                throw new ProtobufDecodeException($"unsupported wire type {(int)wireType} at offset {_position}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _data.Length - _position)
        {
            throw Truncated(what);
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly ProtobufDecodeException Truncated(string what) =>
        new($"truncated {what} at offset {_position}");
}
