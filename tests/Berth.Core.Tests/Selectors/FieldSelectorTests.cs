using Berth.Core.Selectors;

namespace Berth.Core.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static readonly Dictionary<string, string> _fields = new()
    {
        ["metadata.name"] = "web",
        ["metadata.namespace"] = "default",
        ["involvedObject.kind"] = "Service",
        ["spec.weird"] = "a,b=c\\d",
    };

    private static string? Get(string field) => _fields.GetValueOrDefault(field);

    [Theory]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name==web", true)]
    [InlineData("metadata.name!=web", false)]
    [InlineData("metadata.name!=db", true)]
    [InlineData("metadata.name=web,metadata.namespace=default", true)]
    [InlineData("metadata.name=web,metadata.namespace=kube-system", false)]
    [InlineData("involvedObject.kind=Service,metadata.name!=db", true)]
    [InlineData("spec.nodeName=", true)]
    [InlineData("spec.nodeName!=", false)]
    [InlineData("", true)]
    public void Parse_Terms_MatchLikeKubernetes(string selector, bool expected)
    {
        var parsed = FieldSelector.Parse(selector);

        Assert.Equal(expected, parsed.Matches(Get));
    }

    [Fact]
    public void Parse_Requirements_ExposeFieldOperatorValue()
    {
        var parsed = FieldSelector.Parse("metadata.name!=web,involvedObject.kind==Pod");

        Assert.Equal(
            [
                new FieldRequirement("involvedObject.kind", FieldSelectorOperator.DoubleEquals, "Pod"),
                new FieldRequirement("metadata.name", FieldSelectorOperator.NotEquals, "web"),
            ],
            parsed.Requirements);
    }

    [Fact]
    public void Parse_EscapedValue_IsUnescaped()
    {
        var parsed = FieldSelector.Parse("spec.weird=a\\,b\\=c\\\\d");

        var requirement = Assert.Single(parsed.Requirements);
        Assert.Equal("a,b=c\\d", requirement.Value);
        Assert.True(parsed.Matches(Get));
        Assert.Equal("spec.weird=a\\,b\\=c\\\\d", parsed.ToString());
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    public void Parse_Invalid_ThrowsKubernetesMessage(string selector, string message)
    {
        var e = Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(selector));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void EscapeValue_EscapesSpecials()
    {
        Assert.Equal("a\\,b\\=c\\\\", FieldSelector.EscapeValue("a,b=c\\"));
    }
}
