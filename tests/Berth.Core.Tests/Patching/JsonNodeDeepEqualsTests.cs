using System.Text.Json.Nodes;

namespace Berth.Core.Tests.Patching;

/// <summary>What the API server can rely on from <see cref="JsonNode.DeepEquals"/> (.NET 9+), used by the engines.</summary>
public sealed class JsonNodeDeepEqualsTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """{"b":[1,2],"a":1}""", true)]
    [InlineData("""[1,2]""", """[2,1]""", false)]
    [InlineData("""{"a":null}""", """{}""", false)]
    [InlineData("1", "1.0", true)]
    [InlineData("1", "\"1\"", false)]
    public void DeepEquals_Json_ComparesByValue(string a, string b, bool equal)
    {
        var result = JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

        Assert.Equal(equal, result);
    }
}
