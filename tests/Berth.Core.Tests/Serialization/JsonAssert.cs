using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Tests.Serialization;

internal static class JsonAssert
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>Structural equality (property order ignored), printing both documents on failure.</summary>
    public static void Equal(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected:\n{expected?.ToJsonString(_indented)}\nactual:\n{actual?.ToJsonString(_indented)}");
    }
}
