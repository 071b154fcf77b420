using Berth.Node.Resolver;

namespace Berth.Node.Tests.Resolver;

/// <summary>The cases of the kubelet's TestParseResolvConf (pkg/kubelet/network/dns/dns_test.go), and the file a pod gets.</summary>
public sealed class ResolvConfTests
{
    public static TheoryData<string, string[], string[], string[]> Valid() => new()
    {
        { "", [], [], [] },
        { " ", [], [], [] },
        { "\n", [], [], [] },
        { "\t\n\t", [], [], [] },
        { "#comment\n", [], [], [] },
        { " #comment\n", [], [], [] },
        { "#comment\n#comment", [], [], [] },
        { "#comment\nnameserver 1.2.3.4\nsearch", ["1.2.3.4"], [], [] },
        { "nameserver 1.2.3.4", ["1.2.3.4"], [], [] },
        { " nameserver 1.2.3.4", ["1.2.3.4"], [], [] },
        { "\tnameserver 1.2.3.4", ["1.2.3.4"], [], [] },
        { "nameserver\t1.2.3.4", ["1.2.3.4"], [], [] },
        { "nameserver \t 1.2.3.4", ["1.2.3.4"], [], [] },
        { "nameserver 1.2.3.4\nnameserver 5.6.7.8", ["1.2.3.4", "5.6.7.8"], [], [] },
        { "nameserver 1.2.3.4 #comment", ["1.2.3.4"], [], [] },
        { "search ", [], [], [] },
        { "search foo", [], ["foo"], [] },
        { "search foo bar", [], ["foo", "bar"], [] },
        { "search foo. bar", [], ["foo", "bar"], [] },
        { "search foo bar bat\n", [], ["foo", "bar", "bat"], [] },
        { "search foo\nsearch bar", [], ["bar"], [] },
        { "nameserver 1.2.3.4\nsearch foo bar", ["1.2.3.4"], ["foo", "bar"], [] },
        { "nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar", ["1.2.3.4", "5.6.7.8"], ["bar"], [] },
        { "#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment", ["1.2.3.4"], ["foo"], [] },
        { "options ", [], [], [] },
        { "options ndots:5 attempts:2", [], [], ["ndots:5", "attempts:2"] },
        { "options ndots:1\noptions ndots:5 attempts:3", [], [], ["ndots:5", "attempts:3"] },
        { "nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar\noptions ndots:5 attempts:4", ["1.2.3.4", "5.6.7.8"], ["bar"], ["ndots:5", "attempts:4"] },
        { "domain example.com\nsortlist 10.0.0.0/8\nnameserver 1.2.3.4\r\n", ["1.2.3.4"], [], [] },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ReadsAsTheKubeletDoes(string text, string[] nameservers, string[] searches, string[] options)
    {
        var (config, error) = ResolvConf.Parse(text);

        Assert.Null(error);
        Assert.Equal(nameservers, config.Nameservers);
        Assert.Equal(searches, config.Searches);
        Assert.Equal(options, config.Options);
    }

    [Theory]
    [InlineData("#comment\nnameserver")]
    [InlineData("#comment\nnameserver\nsearch")]
    public void Parse_NameserverWithoutAddress_IsAnError(string text)
    {
        var (_, error) = ResolvConf.Parse(text);

        Assert.Equal("nameserver list is empty ", error);
    }

    [Fact]
    public void Render_WritesSearchThenNameserversThenOptions_AsContainerd()
    {
        var config = new ResolvConf(["127.96.0.10", "10.0.0.11"], ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ["ndots:5", "edns0"]);

        var text = config.Render();

        Assert.Equal("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.96.0.10\nnameserver 10.0.0.11\noptions ndots:5 edns0\n", text);
    }

    [Fact]
    public void Render_EmptyConfig_IsAnEmptyFile()
    {
        Assert.Equal(string.Empty, ResolvConf.Empty.Render());
    }
}
