using Berth.Core.Patching;
using k8s.Models;

namespace Berth.Core.Tests.Patching;

public sealed class ApplyPatchTests
{
    [Fact]
    public void Parse_Yaml_GivesTypedJson()
    {
        var body = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cm
              labels: {app: web, "n": "1"}
            data:
              enabled: "true"
              count: '3'
            immutable: false
            x:
              - 1
              - 2.5
              - ~
            """;

        var result = ApplyPatch.Parse(body);

        Json.Equal("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"app":"web","n":"1"}},
             "data":{"enabled":"true","count":"3"},"immutable":false,"x":[1,2.5,null]}
            """, result);
    }

    [Fact]
    public void Parse_Json_GivesSameObject()
    {
        var result = ApplyPatch.Parse("""  {"kind":"ConfigMap","data":{"a":"1"}}""");

        Json.Equal("""{"kind":"ConfigMap","data":{"a":"1"}}""", result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("- a\n- b\n")]
    [InlineData("a: 1\n---\nb: 2\n")]
    [InlineData("{\"a\":")]
    [InlineData("a: [1, 2\n")]
    public void Parse_NotOneObject_ThrowsBadRequest(string body)
    {
        var error = Assert.Throws<PatchException>(() => ApplyPatch.Parse(body));

        Assert.Equal(400, error.Code);
    }

    [Fact]
    public void Apply_Configuration_MergesOntoLiveObject()
    {
        var live = Json.Parse("""{"metadata":{"name":"cm","resourceVersion":"5","labels":{"a":"1"}},"data":{"x":"1"}}""");
        var configuration = ApplyPatch.Parse("metadata:\n  name: cm\n  labels:\n    b: '2'\ndata:\n  y: '2'\n");

        var result = ApplyPatch.Apply(live, configuration, typeof(V1ConfigMap));

        Json.Equal("""{"metadata":{"name":"cm","resourceVersion":"5","labels":{"a":"1","b":"2"}},"data":{"x":"1","y":"2"}}""", result);
    }

    [Fact]
    public void Apply_NoLiveObject_GivesConfiguration()
    {
        var configuration = ApplyPatch.Parse("""{"metadata":{"name":"cm"},"data":{"a":null,"b":"1"}}""");

        var result = ApplyPatch.Apply(null, configuration, typeof(V1ConfigMap));

        Json.Equal("""{"metadata":{"name":"cm"},"data":{"b":"1"}}""", result);
    }
}
