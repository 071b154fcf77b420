using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// Turns a protobuf message into the JSON object Kubernetes would write for it, driven by a <see cref="ProtobufSchema"/>.
/// Unknown fields are skipped; repeated fields and maps absent on the wire stay absent, as under Go's <c>omitempty</c>.
/// One decoder decodes one body: it counts the values it builds against <see cref="DecodeLimits.MaxNodes"/> (an empty
/// embedded message is two bytes on the wire and a JSON object in memory) and nests at most
/// <see cref="DecodeLimits.MaxDepth"/> messages, so hostile input can neither exhaust the stack nor the heap.
/// </summary>
internal sealed class ProtobufDecoder
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ProtobufSchema _schema;
    private readonly DecodeLimits _limits;
    private long _nodes;

    public ProtobufDecoder(ProtobufSchema schema, DecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        _limits = limits ?? DecodeLimits.Default;
    }

    public JsonObject Decode(string message, ReadOnlySpan<byte> data)
    {
        var target = new JsonObject();
        Merge(target, message, data, 0);
        return target;
    }

    /// <summary>
    /// Decodes a whole object: the magic <c>k8s\0</c>, then runtime.Unknown {1: TypeMeta{1: apiVersion, 2: kind},
    /// 2: raw, 3: contentEncoding, 4: contentType} (apimachinery pkg/runtime/generated.proto and
    /// pkg/runtime/serializer/protobuf/protobuf.go). The result starts with apiVersion and kind.
    /// </summary>
    public JsonObject DecodeObject(ReadOnlySpan<byte> body, int depth = 0)
    {
        if (!body.StartsWith(KubernetesProtobuf.Magic))
        {
            throw new ProtobufDecodeException("the body does not start with the Kubernetes protobuf magic number \"k8s\\0\"");
        }

        var apiVersion = "";
        var kind = "";
        var contentEncoding = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtobufReader(body[KubernetesProtobuf.Magic.Length..]);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (number is >= 1 and <= 3 && wireType == WireType.LengthDelimited)
            {
                var value = reader.ReadLengthDelimited();
                if (number == 1)
                {
                    apiVersion = WellKnownTypes.ReadString(value, 1) ?? "";
                    kind = WellKnownTypes.ReadString(value, 2) ?? "";
                }
                else if (number == 2)
                {
                    raw = value;
                }
                else
                {
                    contentEncoding = Encoding.UTF8.GetString(value);
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (contentEncoding.Length > 0)
        {
            throw new ProtobufDecodeException($"content encoding \"{contentEncoding}\" is not supported");
        }

        if (kind.Length == 0)
        {
            throw new ProtobufDecodeException("the protobuf envelope names no kind");
        }

        var message = _schema.RootMessage(apiVersion, kind)
            ?? throw new ProtobufDecodeException($"no protobuf decoding is known for {apiVersion}, Kind={kind}; send it as JSON or YAML");

        var target = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        Merge(target, message, raw, depth);
        return target;
    }

    private void Merge(JsonObject target, string message, ReadOnlySpan<byte> data, int depth)
    {
        if (depth >= _limits.MaxDepth)
        {
            throw new ProtobufDecodeException($"exceeded max depth of {_limits.MaxDepth}");
        }

        Count();

        var fields = _schema.Fields(message);
        var reader = new ProtobufReader(data);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (!fields.TryGetValue(number, out var field))
            {
                reader.Skip(wireType);
                continue;
            }

            switch (field.Shape)
            {
                case FieldShape.Map:
                    ReadMapEntry(target, message, field, ref reader, wireType, depth);
                    break;
                case FieldShape.Repeated:
                    ReadRepeated(target, message, field, ref reader, wireType, depth);
                    break;
                default:
                    ReadSingle(target, message, field, ref reader, wireType, depth);
                    break;
            }
        }
    }

    private void ReadSingle(JsonObject target, string message, ProtoField field, ref ProtobufReader reader, WireType wireType, int depth)
    {
        if (field.Kind == FieldKind.Inline)
        {
            Merge(target, field.MessageType!, Payload(message, field, ref reader, wireType), depth + 1);
            return;
        }

        if (field.Kind == FieldKind.Message)
        {
            // A message field seen twice is merged, as protobuf specifies.
            var payload = Payload(message, field, ref reader, wireType);
            if (target[field.JsonName] is not JsonObject existing)
            {
                existing = new JsonObject();
                target[field.JsonName] = existing;
            }

            Merge(existing, field.MessageType!, payload, depth + 1);
            return;
        }

        var value = ReadValue(message, field, ref reader, wireType, depth);
        if (field.KeepZero || !IsZero(value))
        {
            target[field.JsonName] = value;
        }
        else
        {
            target.Remove(field.JsonName);
        }
    }

    private void ReadRepeated(JsonObject target, string message, ProtoField field, ref ProtobufReader reader, WireType wireType, int depth)
    {
        if (target[field.JsonName] is not JsonArray array)
        {
            array = [];
            target[field.JsonName] = array;
        }

        if (wireType == WireType.LengthDelimited && field.Kind is FieldKind.Int32 or FieldKind.Int64 or FieldKind.Bool)
        {
            // Packed encoding: proto2 writers may still pack repeated scalars; accept both forms.
            var packed = new ProtobufReader(reader.ReadLengthDelimited());
            while (!packed.End)
            {
                Count();
                array.Add(Scalar(field.Kind, packed.ReadVarint()));
            }

            return;
        }

        if (field.Kind == FieldKind.Message)
        {
            array.Add(Decode(field.MessageType!, Payload(message, field, ref reader, wireType), depth + 1));
            return;
        }

        array.Add(ReadValue(message, field, ref reader, wireType, depth));
    }

    private void ReadMapEntry(JsonObject target, string message, ProtoField field, ref ProtobufReader reader, WireType wireType, int depth)
    {
        var entry = new ProtobufReader(Payload(message, field, ref reader, wireType));
        var key = "";
        JsonNode? value = null;
        var sawValue = false;
        while (entry.TryReadTag(out var number, out var entryWire))
        {
            if (number == 1)
            {
                key = Utf8(message, field, Payload(message, field, ref entry, entryWire));
            }
            else if (number == 2)
            {
                value = field.Kind == FieldKind.Message
                    ? Decode(field.MessageType!, Payload(message, field, ref entry, entryWire), depth + 1)
                    : ReadValue(message, field, ref entry, entryWire, depth);
                sawValue = true;
            }
            else
            {
                entry.Skip(entryWire);
            }
        }

        if (!sawValue)
        {
            Count();
            // An entry without a value holds the value type's default.
            value = field.Kind switch
            {
                FieldKind.Message => new JsonObject(),
                FieldKind.Quantity => JsonValue.Create("0"),
                _ => JsonValue.Create(""),
            };
        }

        if (target[field.JsonName] is not JsonObject map)
        {
            map = new JsonObject();
            target[field.JsonName] = map;
        }

        map[key] = value;
    }

    private JsonObject Decode(string message, ReadOnlySpan<byte> data, int depth)
    {
        var target = new JsonObject();
        Merge(target, message, data, depth);
        return target;
    }

    private JsonNode? ReadValue(string message, ProtoField field, ref ProtobufReader reader, WireType wireType, int depth)
    {
        Count();
        switch (field.Kind)
        {
            case FieldKind.Int32 or FieldKind.Int64 or FieldKind.Bool:
                Expect(message, field, wireType, WireType.Varint);
                return Scalar(field.Kind, reader.ReadVarint());
            case FieldKind.String:
                return JsonValue.Create(Utf8(message, field, Payload(message, field, ref reader, wireType)));
            case FieldKind.Bytes:
                return JsonValue.Create(Convert.ToBase64String(Payload(message, field, ref reader, wireType)));
            case FieldKind.RawExtension:
                return RawExtension(Payload(message, field, ref reader, wireType), depth);
            default:
                return WellKnownTypes.Read(field, Payload(message, field, ref reader, wireType));
        }
    }

    /// <summary>RawExtension (raw=1) holds JSON, or a nested <c>k8s\0</c> object when its writer used protobuf throughout.</summary>
    private JsonNode? RawExtension(ReadOnlySpan<byte> payload, int depth)
    {
        var raw = WellKnownTypes.ReadBytes(payload, 1);
        if (raw.IsEmpty)
        {
            return null;
        }

        if (raw.StartsWith(KubernetesProtobuf.Magic))
        {
            return DecodeObject(raw, depth + 1);
        }

        try
        {
            return JsonBody.Parse(raw, _limits with { MaxDepth = _limits.MaxDepth - depth });
        }
        catch (JsonException e)
        {
            throw new ProtobufDecodeException($"a RawExtension holds neither JSON nor protobuf: {e.Message}", e);
        }
    }

    /// <summary>One more value built; past the limit the body is refused as too large (413).</summary>
    private void Count()
    {
        if (++_nodes > _limits.MaxNodes)
        {
            throw JsonBody.TooManyValues(_limits);
        }
    }

    private static JsonNode Scalar(FieldKind kind, ulong varint) => kind switch
    {
        FieldKind.Int32 => JsonValue.Create((int)(long)varint),
        FieldKind.Int64 => JsonValue.Create((long)varint),
        _ => JsonValue.Create(varint != 0),
    };

    private static bool IsZero(JsonNode? value) => value is JsonValue v && v.GetValueKind() switch
    {
        JsonValueKind.String => v.GetValue<string>().Length == 0,
        JsonValueKind.Number => v.ToJsonString() == "0",
        JsonValueKind.False => true,
        _ => false,
    };

    private static ReadOnlySpan<byte> Payload(string message, ProtoField field, ref ProtobufReader reader, WireType wireType)
    {
        Expect(message, field, wireType, WireType.LengthDelimited);
        return reader.ReadLengthDelimited();
    }

    private static void Expect(string message, ProtoField field, WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw new ProtobufDecodeException($"field {field.Number} ({Name(field)}) of {message} has wire type {actual}, expected {expected}");
        }
    }

    private static string Utf8(string message, ProtoField field, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return _strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtobufDecodeException($"field {field.Number} ({Name(field)}) of {message} is not valid UTF-8", e);
        }
    }

    private static string Name(ProtoField field) => field.JsonName.Length == 0 ? field.MessageType! : field.JsonName;
}
