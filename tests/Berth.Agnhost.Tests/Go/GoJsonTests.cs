using Berth.Agnhost.Go;

namespace Berth.Agnhost.Tests.Go;

public sealed class GoJsonTests
{
    [Fact]
    public void Object_Strings_SortedAndHtmlSafeAsGo()
    {
        var json = GoJson.Object([new KeyValuePair<string, string>("output", "<a & b>\n\"q\"\t\u0001é\u2028"), new("error", "exit status 1")]);

        Assert.Equal("{\"error\":\"exit status 1\",\"output\":\"\\u003ca \\u0026 b\\u003e\\n\\\"q\\\"\\t\\u0001é\\u2028\"}", json);
    }

    [Fact]
    public void Object_Lists_AnswerShapeOfDial()
    {
        var json = GoJson.Object([new KeyValuePair<string, IReadOnlyList<string>>("responses", ["a", "b"]), new("errors", ["x"])]);

        Assert.Equal("{\"errors\":[\"x\"],\"responses\":[\"a\",\"b\"]}", json);
    }

    [Fact]
    public void Object_Empty_IsBraces()
    {
        Assert.Equal("{}", GoJson.Object(Array.Empty<KeyValuePair<string, string>>()));
    }
}
