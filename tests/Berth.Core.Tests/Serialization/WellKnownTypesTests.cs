using Berth.Core.Serialization.Protobuf;
using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Tests.Serialization;

/// <summary>The special apimachinery types, decoded through a small schema that holds one field of each.</summary>
public sealed class WellKnownTypesTests
{
    private static readonly ProtobufDecoder _decoder = new(new ProtobufSchema(
        new Dictionary<string, ProtoField[]>
        {
            ["Sample"] =
            [
                Time(1, "time"), MicroTime(2, "microTime"), Duration(3, "duration"), IntOrStr(4, "intOrString"),
                Qty(5, "quantity"), Raw(6, "raw"), MapQty(7, "quantities"), Bytes(8, "bytes", keep: true), Msgs(9, "items", "Sample"),
            ],
        },
        new Dictionary<(string ApiVersion, string Kind), string> { [("test/v1", "Sample")] = "Sample" }));

    [Fact]
    public void Time_SecondsOnly_Rfc3339DroppingNanos()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Message(1, t => t.Varint(1, 0).Varint(2, 500)).ToArray());

        JsonAssert.Equal("""{ "time": "1970-01-01T00:00:00Z" }""", json);
    }

    [Fact]
    public void Time_EmptyPayload_Null()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Empty(1).Empty(2).ToArray());

        JsonAssert.Equal("""{ "time": null, "microTime": null }""", json);
    }

    [Fact]
    public void MicroTime_Nanos_TruncatedToMicroseconds()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Message(2, t => t.Varint(1, 1_000_000_000).Varint(2, 999_999_999)).ToArray());

        JsonAssert.Equal("""{ "microTime": "2001-09-09T01:46:40.999999Z" }""", json);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(300_000_000L, "300ms")]
    [InlineData(1_000_000_000L, "1s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(7_200_500_000_000L, "2h0m0.5s")]
    [InlineData(-1_500_000_000L, "-1.5s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Duration_Nanoseconds_GoDurationString(long nanoseconds, string expected)
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Message(3, d => d.Varint(1, nanoseconds)).ToArray());

        Assert.Equal(expected, json["duration"]!.GetValue<string>());
    }

    [Fact]
    public void IntOrString_TypeSelectsIntOrString()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter()
            .Message(9, s => s.Message(4, i => i.Varint(1, 0).Varint(2, 8080).String(3, "")))
            .Message(9, s => s.Message(4, i => i.Varint(1, 1).Varint(2, 0).String(3, "http")))
            .Message(9, s => s.Empty(4))
            .ToArray());

        JsonAssert.Equal("""{ "items": [ { "intOrString": 8080 }, { "intOrString": "http" }, { "intOrString": 0 } ] }""", json);
    }

    [Fact]
    public void Quantity_StringField_JsonString()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter()
            .Message(5, q => q.String(1, "1.5Gi"))
            .Entry(7, "cpu", q => q.String(1, "250m"))
            .Entry(7, "zero", _ => { })
            .ToArray());

        JsonAssert.Equal("""{ "quantity": "1.5Gi", "quantities": { "cpu": "250m", "zero": "0" } }""", json);
    }

    [Fact]
    public void RawExtension_Json_Parsed()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Message(6, r => r.String(1, """{"a":[1,"b"]}""")).ToArray());

        JsonAssert.Equal("""{ "raw": { "a": [ 1, "b" ] } }""", json);
    }

    [Fact]
    public void RawExtension_NestedProtobuf_DecodedWithApiVersionAndKind()
    {
        var nested = ProtoWriter.Object("test/v1", "Sample", s => s.Message(5, q => q.String(1, "1")));

        var json = _decoder.Decode("Sample", new ProtoWriter().Message(6, r => r.Bytes(1, nested)).ToArray());

        JsonAssert.Equal("""{ "raw": { "apiVersion": "test/v1", "kind": "Sample", "quantity": "1" } }""", json);
    }

    [Fact]
    public void RawExtension_NeitherJsonNorProtobuf_Throws()
    {
        var body = new ProtoWriter().Message(6, r => r.String(1, "not json")).ToArray();

        Assert.Throws<ProtobufDecodeException>(() => _decoder.Decode("Sample", body));
    }

    [Fact]
    public void Bytes_KeptWhenEmpty_Base64()
    {
        var json = _decoder.Decode("Sample", new ProtoWriter().Bytes(8, []).ToArray());

        JsonAssert.Equal("""{ "bytes": "" }""", json);
    }

    [Fact]
    public void Schema_DanglingMessageReference_Rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProtobufSchema(
            new Dictionary<string, ProtoField[]> { ["A"] = [Msg(1, "b", "B")] },
            new Dictionary<(string ApiVersion, string Kind), string>()));

        Assert.StartsWith("A.b refers to message B", e.Message, StringComparison.Ordinal);
    }
}
