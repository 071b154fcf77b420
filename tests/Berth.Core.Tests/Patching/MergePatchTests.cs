using Berth.Core.Patching;

namespace Berth.Core.Tests.Patching;

public sealed class MergePatchTests
{
    // RFC 7386 appendix A, every example.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7386AppendixA_GivesExpectedResult(string original, string patch, string expected)
    {
        var result = MergePatch.Apply(Json.ParseOrNull(original), Json.ParseOrNull(patch));

        Json.Equal(expected, result);
    }

    [Fact]
    public void Apply_KubectlLabel_MergesLabelsAndKeepsTheRest()
    {
        var original = Json.Parse("""{"metadata":{"name":"web","labels":{"app":"web","old":"x"}},"spec":{"replicas":2}}""");
        var patch = Json.Parse("""{"metadata":{"labels":{"tier":"frontend","old":null}}}""");

        var result = MergePatch.Apply(original, patch);

        Json.Equal("""{"metadata":{"name":"web","labels":{"app":"web","tier":"frontend"}},"spec":{"replicas":2}}""", result);
    }

    [Fact]
    public void Apply_Always_LeavesInputsUnchanged()
    {
        var original = Json.Parse("""{"a":{"b":1},"c":[1]}""");
        var patch = Json.Parse("""{"a":{"b":null,"d":2},"c":[2]}""");

        MergePatch.Apply(original, patch);

        Json.Equal("""{"a":{"b":1},"c":[1]}""", original);
        Json.Equal("""{"a":{"b":null,"d":2},"c":[2]}""", patch);
    }
}
