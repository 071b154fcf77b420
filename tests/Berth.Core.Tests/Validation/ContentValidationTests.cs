using Berth.Core.Validation;

namespace Berth.Core.Tests.Validation;

public sealed class ContentValidationTests
{
    [Theory]
    [InlineData("web", true)]
    [InlineData("123-abc", true)]
    [InlineData("Web", false)]
    [InlineData("-web", false)]
    [InlineData("web\n", false)]
    public void IsDNS1123Label_Values_Expected(string value, bool valid) =>
        Assert.Equal(valid, ContentValidation.IsDNS1123Label(value).Count == 0);

    [Fact]
    public void IsDNS1123Label_Dotted_MustNotContainDots() =>
        Assert.Equal(["must not contain dots"], ContentValidation.IsDNS1123Label("a.b"));

    [Theory]
    [InlineData("example.com/MyName", true)]
    [InlineData("app", true)]
    [InlineData("/app", false)]
    [InlineData("a/b/c", false)]
    public void IsQualifiedName_Values_Expected(string value, bool valid) =>
        Assert.Equal(valid, ContentValidation.IsQualifiedName(value).Count == 0);

    [Fact]
    public void IsQualifiedName_EmptyPrefix_PrefixPartMessage() =>
        Assert.Equal("prefix part must be non-empty", ContentValidation.IsQualifiedName("/app")[0]);

    [Theory]
    [InlineData("http", 0)]
    [InlineData("8080", 1)]
    [InlineData("-http", 1)]
    [InlineData("Http", 1)]
    public void IsValidPortName_Values_ErrorCount(string value, int count) =>
        Assert.Equal(count, ContentValidation.IsValidPortName(value).Count);

    [Theory]
    [InlineData("10.0.0.1", "IPv4")]
    [InlineData("010.000.000.001", "IPv4")]
    [InlineData("fd00::1", "IPv6")]
    [InlineData("::ffff:10.0.0.1", "IPv4")]
    [InlineData("10.0.0.300", null)]
    [InlineData("10.1", null)]
    [InlineData("fe80::1%eth0", null)]
    [InlineData("", null)]
    public void FamilyOf_Values_Expected(string value, string? family) =>
        Assert.Equal(family, IPAddresses.FamilyOf(value));

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("fd00::/64", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0", false)]
    public void ParseCIDRSloppy_Values_Expected(string value, bool valid) =>
        Assert.Equal(valid, IPAddresses.ParseCIDRSloppy(value) is not null);

    [Fact]
    public void StringMap_UnsortedKeys_SortedGoSyntax() =>
        Assert.Equal("map[string]string{\"a\":\"1\", \"b\":\"2\"}", GoSyntax.StringMap(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
}
