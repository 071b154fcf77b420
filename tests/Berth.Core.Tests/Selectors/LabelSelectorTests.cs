using Berth.Core.Selectors;
using k8s.Models;

namespace Berth.Core.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> _web = new() { ["app"] = "web", ["tier"] = "frontend", ["version"] = "3" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("missing in (db)", false)]
    [InlineData("app notin (db,cache)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (web)", true)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("version>2", true)]
    [InlineData("version<3", false)]
    [InlineData("app=web,tier=frontend", true)]
    [InlineData("app=web,tier=backend", false)]
    [InlineData("app=web,!missing,tier in (frontend)", true)]
    [InlineData("  app = web ,  tier  in  ( frontend , backend )  ", true)]
    [InlineData("", true)]
    [InlineData("example.com/role", false)]
    public void Parse_Operator_MatchesLikeKubernetes(string selector, bool expected)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.Equal(expected, parsed.Matches(_web));
    }

    [Fact]
    public void Parse_KeywordsAsKeyAndValue_AreIdentifiers()
    {
        var selector = LabelSelector.Parse("in in (notin)");

        Assert.True(selector.Matches(new Dictionary<string, string> { ["in"] = "notin" }));
    }

    [Fact]
    public void Parse_EmptyValue_MatchesEmptyLabel()
    {
        var selector = LabelSelector.Parse("app=,tier in ()");

        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = string.Empty, ["tier"] = string.Empty }));
        Assert.False(selector.Matches(_web));
    }

    [Fact]
    public void Parse_NullLabels_TreatedAsNoLabels()
    {
        Assert.True(LabelSelector.Parse("!app").Matches(null));
        Assert.False(LabelSelector.Parse("app").Matches(null));
    }

    [Fact]
    public void ToString_SortsRequirementsByKeyAndValues()
    {
        var selector = LabelSelector.Parse("tier notin (b,a),app=web,!x,env in (prod, dev, prod)");

        Assert.Equal("app=web,env in (dev,prod),tier notin (a,b),!x", selector.ToString());
    }

    [Theory]
    [InlineData("app=web,", "found '', expected: identifier after ','")]
    [InlineData("app=web tier=x", "found 'tier', expected: ',' or 'end of string'")]
    [InlineData(",app", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("app in web", "unable to parse requirement: found 'web' expected: '('")]
    [InlineData("app in (web", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("app ~ web", "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("app = (web)", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("app>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Parse_Invalid_ThrowsKubernetesMessage(string selector, string message)
    {
        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(selector));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_InvalidKey_ReportsQualifiedNameError()
    {
        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("-app=web"));

        Assert.StartsWith("unable to parse requirement: <nil>: Invalid value: \"-app\": name part must consist of alphanumeric characters", e.Message);
    }

    [Fact]
    public void Parse_InvalidPrefix_ReportsSubdomainError()
    {
        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("Example.COM/app"));

        Assert.Contains("prefix part a lowercase RFC 1123 subdomain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidValue_ReportsLabelValueError()
    {
        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("app=we@b"));

        Assert.StartsWith("unable to parse requirement: values[0][app]: Invalid value: \"we@b\": a valid label must be an empty string", e.Message);
    }

    [Fact]
    public void Parse_TooLongValue_ReportsLength()
    {
        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("app=" + new string('a', 64)));

        Assert.Contains("must be no more than 63 characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Invalid_ReturnsError()
    {
        var ok = LabelSelector.TryParse("app in", out var selector, out var error);

        Assert.False(ok);
        Assert.Null(selector);
        Assert.NotNull(error);
    }

    [Fact]
    public void FromLabelSelector_MatchLabelsAndExpressions_AreAnded()
    {
        var selector = LabelSelector.FromLabelSelector(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["frontend", "edge"] },
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "NotIn", Values = ["dev"] },
                new V1LabelSelectorRequirement { Key = "version", OperatorProperty = "Exists" },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
            ],
        });

        Assert.True(selector.Matches(_web));
        Assert.False(selector.Matches(new Dictionary<string, string>(_web) { ["canary"] = "true" }));
        Assert.Equal("app=web,!canary,env notin (dev),tier in (edge,frontend),version", selector.ToString());
    }

    [Fact]
    public void FromLabelSelector_NullAndEmpty_AreNothingAndEverything()
    {
        Assert.False(LabelSelector.FromLabelSelector(null).Matches(_web));
        Assert.True(LabelSelector.FromLabelSelector(new V1LabelSelector()).Matches(_web));
        Assert.True(LabelSelector.FromLabelSelector(new V1LabelSelector()).IsEmpty);
    }

    [Fact]
    public void FromLabelSelector_UnknownOperator_Throws()
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "Gt", Values = ["1"] }],
        };

        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.FromLabelSelector(selector));

        Assert.Equal("\"Gt\" is not a valid label selector operator", e.Message);
    }

    [Fact]
    public void FromLabelSelector_InWithoutValues_Throws()
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "In" }],
        };

        var e = Assert.Throws<SelectorParseException>(() => LabelSelector.FromLabelSelector(selector));

        Assert.Equal("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty", e.Message);
    }

    [Fact]
    public void FromMap_EqualityOnEveryKey()
    {
        var selector = LabelSelector.FromMap(new Dictionary<string, string> { ["tier"] = "frontend", ["app"] = "web" });

        Assert.True(selector.Matches(_web));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.Equal("app=web,tier=frontend", selector.ToString());
    }

    [Fact]
    public void EmptyAndNothing_MatchEverythingAndNothing()
    {
        Assert.True(LabelSelector.Empty.Matches(null));
        Assert.True(LabelSelector.FromMap(null).IsEmpty);
        Assert.False(LabelSelector.Nothing.Matches(_web));
        Assert.False(LabelSelector.Nothing.IsEmpty);
    }
}
