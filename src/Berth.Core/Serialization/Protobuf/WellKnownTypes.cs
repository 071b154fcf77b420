using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// The apimachinery types with their own protobuf and JSON encodings: Time and MicroTime
/// (meta/v1/time_proto.go, micro_time_proto.go), Duration, IntOrString and Quantity.
/// </summary>
internal static class WellKnownTypes
{
    private const long NanosPerSecond = 1_000_000_000;

    public static JsonNode? Read(ProtoField field, ReadOnlySpan<byte> payload) => field.Kind switch
    {
        FieldKind.Time => Time(payload, micro: false),
        FieldKind.MicroTime => Time(payload, micro: true),
        FieldKind.Duration => JsonValue.Create(GoDuration(ReadInt64(payload, 1))),
        FieldKind.IntOrString => IntOrString(payload),
        FieldKind.Quantity => JsonValue.Create(ReadString(payload, 1) ?? "0"),
        _ => throw new InvalidOperationException($"{field.Kind} is not a well-known type"),
    };

    /// <summary>
    /// Go writes the zero time as an empty payload and JSON writes it as null. Time keeps whole seconds only
    /// (Time.Unmarshal drops nanos); MicroTime keeps microseconds.
    /// </summary>
    private static JsonValue? Time(ReadOnlySpan<byte> payload, bool micro)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        long seconds = 0;
        long nanos = 0;
        var reader = new ProtobufReader(payload);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (number is 1 or 2 && wireType == WireType.Varint)
            {
                var value = (long)reader.ReadVarint();
                if (number == 1)
                {
                    seconds = value;
                }
                else
                {
                    nanos = (int)value;
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        DateTimeOffset time;
        try
        {
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ProtobufDecodeException($"timestamp {seconds}s is out of range", e);
        }

        if (!micro)
        {
            return JsonValue.Create(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        time = time.AddTicks(nanos / 1000 * 10);
        return JsonValue.Create(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>type=1 (0 Int, 1 String), intVal=2, strVal=3; JSON is a bare number or string.</summary>
    private static JsonValue IntOrString(ReadOnlySpan<byte> payload)
    {
        long type = 0;
        var intVal = 0;
        var strVal = "";
        var reader = new ProtobufReader(payload);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            switch (number, wireType)
            {
                case (1, WireType.Varint):
                    type = (long)reader.ReadVarint();
                    break;
                case (2, WireType.Varint):
                    intVal = (int)(long)reader.ReadVarint();
                    break;
                case (3, WireType.LengthDelimited):
                    strVal = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create(intVal);
    }

    /// <summary>Go's time.Duration.String(): <c>0s</c>, <c>1.5µs</c>, <c>300ms</c>, <c>1m30s</c>, <c>2h0m0.5s</c>.</summary>
    internal static string GoDuration(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var negative = nanoseconds < 0;
        var u = negative ? (ulong)-(nanoseconds + 1) + 1 : (ulong)nanoseconds;
        string text;
        if (u < NanosPerSecond)
        {
            var (precision, unit) = u switch
            {
                < 1_000 => (0, "ns"),
                < 1_000_000 => (3, "µs"),
                _ => (6, "ms"),
            };
            var scale = Pow10(precision);
            text = string.Concat(Whole(u / scale), Fraction(u % scale, precision), unit);
        }
        else
        {
            var whole = u / NanosPerSecond;
            var seconds = string.Concat(Whole(whole % 60), Fraction(u % NanosPerSecond, 9), "s");
            var minutes = whole / 60;
            text = minutes == 0
                ? seconds
                : minutes < 60
                    ? string.Concat(Whole(minutes), "m", seconds)
                    : string.Concat(Whole(minutes / 60), "h", Whole(minutes % 60), "m", seconds);
        }

        return negative ? "-" + text : text;
    }

    private static string Whole(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fraction(ulong value, int precision) =>
        value == 0 ? "" : "." + value.ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');

    private static ulong Pow10(int exponent)
    {
        ulong result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static long ReadInt64(ReadOnlySpan<byte> payload, int wanted)
    {
        long value = 0;
        var reader = new ProtobufReader(payload);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (number == wanted && wireType == WireType.Varint)
            {
                value = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return value;
    }

    public static string? ReadString(ReadOnlySpan<byte> payload, int wanted)
    {
        var bytes = ReadBytes(payload, wanted, out var found);
        return found ? System.Text.Encoding.UTF8.GetString(bytes) : null;
    }

    public static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> payload, int wanted) => ReadBytes(payload, wanted, out _);

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> payload, int wanted, out bool found)
    {
        found = false;
        ReadOnlySpan<byte> value = default;
        var reader = new ProtobufReader(payload);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            if (number == wanted && wireType == WireType.LengthDelimited)
            {
                value = reader.ReadLengthDelimited();
                found = true;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return value;
    }
}
