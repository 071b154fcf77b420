using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Serialization;

namespace Berth.Core.Tests.Serialization;

public sealed class GoJsonTests
{
    // Each expectation is what Go's json.Marshal gives for the string (encode.go appendString, escapeHTML on).
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("a\nb\rc\td", "\"a\\nb\\rc\\td\"")]
    [InlineData("\b\f", "\"\\b\\f\"")]
    [InlineData("\u0001\u001f\u007f", "\"\\u0001\\u001f\u007f\"")]
    [InlineData("<a href='x'>&</a>", "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\"")]
    [InlineData("é ü 日本 +/", "\"é ü 日本 +/\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    [InlineData("😀", "\"😀\"")]
    public void Serialize_String_EscapedAsGo(string value, string expected)
    {
        Assert.Equal(expected, GoJson.Serialize(JsonValue.Create(value)));
    }

    // Invalid UTF-8 in Go; a [Fact] because xUnit would turn the surrogate into U+FFFD before the test saw it.
    [Fact]
    public void Serialize_LoneSurrogate_ReplacementEscape()
    {
        Assert.Equal("\"lone \\ufffd surrogate\"", GoJson.Serialize(JsonValue.Create("lone \ud800 surrogate")));
    }

    [Fact]
    public void Serialize_Nested_CompactInMemberOrder()
    {
        var node = new JsonObject { ["b"] = 1, ["a"] = new JsonArray(true, null, "x"), ["c"] = new JsonObject() };

        Assert.Equal("""{"b":1,"a":[true,null,"x"],"c":{}}""", GoJson.Serialize(node));
    }

    [Fact]
    public void StatusJsonEncode_Conflict_GoBytesWithTrailingNewline()
    {
        var status = StatusErrors.Conflict("", "services", "web", "the object has been modified; please apply your changes to the latest version and try again").Status;

        var body = Encoding.UTF8.GetString(StatusJson.Encode(status));

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on services \"web\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web","kind":"services"},"code":409}""" + "\n",
            body);
    }
}
