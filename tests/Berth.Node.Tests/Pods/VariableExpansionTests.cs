using Berth.Node.Pods;

namespace Berth.Node.Tests.Pods;

/// <summary>Cases from Kubernetes' third_party/forked/golang/expansion/expand_test.go.</summary>
public sealed class VariableExpansionTests
{
    private static readonly Func<string, string> _mapping = VariableExpansion.MappingFor(
        new Dictionary<string, string> { ["VAR_A"] = "A", ["VAR_B"] = "B", ["VAR_C"] = "C", ["VAR_REF"] = "$(VAR_A)", ["VAR_EMPTY"] = "" });

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_A)", "A-A")]
    [InlineData("$(VAR_A)$(VAR_B)$(VAR_C)", "ABC")]
    [InlineData("$(VAR_REF)", "$(VAR_A)")]
    [InlineData("$(VAR_EMPTY)", "")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$$$(VAR_A)", "$$(VAR_A)")]
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$()", "$()")]
    [InlineData("$", "$")]
    [InlineData("foo$", "foo$")]
    [InlineData("$?_boo_$!", "$?_boo_$!")]
    [InlineData("no refs", "no refs")]
    public void Expand_FollowsTheKubernetesSyntax(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, _mapping));

    [Fact]
    public void MappingFor_FirstContextWins() =>
        Assert.Equal("x", VariableExpansion.MappingFor(new Dictionary<string, string> { ["A"] = "x" }, new Dictionary<string, string> { ["A"] = "y" })("A"));
}
