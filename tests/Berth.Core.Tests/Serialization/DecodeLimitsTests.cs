using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Patching;
using Berth.Core.Serialization;
using Berth.Core.Serialization.Protobuf;
using Berth.Core.Tests.Patching;
using Berth.Tests.Shared;

namespace Berth.Core.Tests.Serialization;

public sealed class DecodeLimitsTests
{
    private static readonly DecodeLimits _small = new() { MaxBytes = 1000, MaxDepth = 5, MaxNodes = 40 };

    [Fact]
    public void Yaml_BillionLaughs_ExcessiveAliasing()
    {
        var e = Assert.Throws<PatchException>(() => ApplyPatch.ParseDocument(HostileBodies.BillionLaughs));

        Assert.Equal(433, Encoding.UTF8.GetByteCount(HostileBodies.BillionLaughs));
        Assert.Equal("error converting YAML to JSON: yaml: document contains excessive aliasing", e.Message);
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void Yaml_AliasesAndMergeKeys_Expanded()
    {
        var body = """
            base: &base {a: 1, b: [x, y]}
            copy: *base
            merged:
              <<: *base
              b: mine
            many:
              <<: [{c: 1}, {c: 2, d: 2}]
            quoted:
              "<<": literal
            """;

        var result = ApplyPatch.ParseDocument(body);

        Json.Equal("""
            {"base":{"a":1,"b":["x","y"]},"copy":{"a":1,"b":["x","y"]},"merged":{"b":"mine","a":1},
             "many":{"c":1,"d":2},"quoted":{"<<":"literal"}}
            """, result);
    }

    [Theory]
    [InlineData("a: *nope\n", "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced")]
    [InlineData("a: &x {b: *x}\n", "error converting YAML to JSON: yaml: anchor 'x' value contains itself")]
    [InlineData("a: {<<: 5}\n", "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value")]
    [InlineData("? [a, b]\n: 1\n", "error converting YAML to JSON: yaml: invalid map key: a mapping key must be a scalar")]
    public void Yaml_BadAlias_BadRequestInGoYamlWords(string body, string message)
    {
        var e = Assert.Throws<PatchException>(() => ApplyPatch.ParseDocument(body));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("a: [[[[[1]]]]]\n")]
    [InlineData("a:\n b:\n  c:\n   d:\n    e:\n     f: 1\n")]
    [InlineData("x: &x [[[1]]]\na: [[*x]]\n")]
    public void Yaml_DeeperThanLimit_ExceededMaxDepth(string body)
    {
        var e = Assert.Throws<PatchException>(() => ApplyPatch.ParseDocument(body, _small));

        Assert.Equal("error converting YAML to JSON: yaml: exceeded max depth of 5", e.Message);
    }

    [Fact]
    public void Yaml_AtDepthLimit_Parses()
    {
        var result = ApplyPatch.ParseDocument("a: [[[[1]]]]\n", _small);

        Json.Equal("""{"a":[[[[1]]]]}""", result);
    }

    [Fact]
    public void Yaml_DeepFlowNesting_RefusedWithoutReadingItAll()
    {
        var body = "a: " + new string('[', 2_000_000);

        var e = Assert.Throws<PatchException>(() => ApplyPatch.ParseDocument(body));

        Assert.Equal("error converting YAML to JSON: yaml: exceeded max depth of 64", e.Message);
    }

    [Fact]
    public void Yaml_AliasesExpandingPastTheByteLimit_RequestEntityTooLarge()
    {
        var body = "s: &s " + new string('x', 300) + "\nl: [*s, *s, *s, *s]\n";

        var e = Assert.Throws<StatusException>(() => ApplyPatch.ParseDocument(body, _small));

        Assert.Equal(413, e.Status.Code);
        Assert.Equal("Request entity too large: limit is 1000; the YAML document expands to more JSON than that", e.Status.Message);
    }

    [Fact]
    public void Yaml_MoreValuesThanLimit_RequestEntityTooLarge()
    {
        var body = "l: [" + string.Join(",", Enumerable.Repeat("1", 50)) + "]\n";

        var e = Assert.Throws<StatusException>(() => ApplyPatch.ParseDocument(body, _small));

        Assert.Equal(413, e.Status.Code);
    }

    [Theory]
    [InlineData("""{"a":[[[[1]]]]}""", true)]
    [InlineData("""{"a":[[[[[1]]]]]}""", false)]
    public void Json_Depth_LimitedInKubernetesWords(string body, bool fits)
    {
        var parse = () => JsonBody.Parse(Encoding.UTF8.GetBytes(body), _small);

        if (fits)
        {
            Assert.NotNull(parse());
        }
        else
        {
            Assert.Equal("exceeded max depth of 5", Assert.Throws<JsonException>(parse).Message);
        }
    }

    [Fact]
    public void Json_MoreValuesThanLimit_RequestEntityTooLarge()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{}", 40)) + "]";

        var e = Assert.Throws<StatusException>(() => JsonBody.Parse(Encoding.UTF8.GetBytes(body), _small));

        Assert.Equal("Request entity too large: limit is 40 values in one body", e.Status.Message);
    }

    [Fact]
    public void Json_DuplicateMember_Refused()
    {
        Assert.ThrowsAny<JsonException>(() => JsonBody.Parse("""{"a":1,"a":2}"""u8, DecodeLimits.Default));
    }

    [Fact]
    public void Protobuf_MoreValuesThanLimit_RequestEntityTooLarge()
    {
        var body = ProtoWriter.Object("v1", "Pod", pod => pod.Message(2, spec =>
        {
            for (var i = 0; i < 50; i++)
            {
                spec.Empty(2);
            }
        }));

        var e = Assert.Throws<StatusException>(() => KubernetesProtobuf.Decode(body, _small));

        Assert.Equal(413, e.Status.Code);
    }

    [Fact]
    public void Protobuf_WithinLimits_Decodes()
    {
        var body = ProtoWriter.Object("v1", "Pod", pod => pod.Message(2, spec => spec.Empty(2).Empty(2)));

        var json = KubernetesProtobuf.Decode(body, _small);

        Assert.Equal(2, json["spec"]!["containers"]!.AsArray().Count);
    }

    [Fact]
    public void Invalid_ManyErrors_ListsTheFirstThousandAndCountsTheRest()
    {
        var errors = Enumerable.Range(0, 1500).Select(i => FieldError.Required(FieldPath.Root("spec").Child("containers").Index(i).Child("name"))).ToList();

        var status = StatusErrors.Invalid("", "Pod", "p", errors).Status;

        Assert.Equal(StatusErrors.MaxReportedErrors, status.Details.Causes.Count);
        Assert.EndsWith("spec.containers[999].name: Required value, and 500 more errors]", status.Message, StringComparison.Ordinal);
    }
}
