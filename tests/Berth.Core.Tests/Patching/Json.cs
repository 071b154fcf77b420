using System.Text.Json.Nodes;

namespace Berth.Core.Tests.Patching;

internal static class Json
{
    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    public static JsonNode? ParseOrNull(string json) => JsonNode.Parse(json);

    /// <summary>Deep equality; arrays are ordered, object member order is ignored.</summary>
    public static void Equal(string expected, JsonNode? actual) => Equal(ParseOrNull(expected), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"}\n     got {actual?.ToJsonString() ?? "null"}");
}
