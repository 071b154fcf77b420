using Berth.Core.Selectors;

namespace Berth.Core.Tests.Fuzzing;

/// <summary>Label and field selectors from query strings: parsed (and usable) or refused with Kubernetes' parse error.</summary>
public sealed class SelectorFuzzTests
{
    private static readonly Dictionary<string, string> _labels = new() { ["app"] = "web", ["tier"] = "b-c", ["x.y/z"] = "" };

    [Fact]
    public void LabelSelector_AnyText_ParsedOrRefused() =>
        Fuzz.Check(Inputs.Selector, text =>
        {
            var selector = LabelSelector.Parse(text);
            _ = selector.Matches(_labels);
            _ = LabelSelector.Parse(selector.ToString());
        }, e => e is SelectorParseException);

    [Fact]
    public void FieldSelector_AnyText_ParsedOrRefused() =>
        Fuzz.Check(Inputs.Selector, text =>
        {
            var selector = FieldSelector.Parse(text);
            _ = FieldSelector.Parse(selector.ToString());
        }, e => e is SelectorParseException);
}
