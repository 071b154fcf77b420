using Berth.Agnhost.Cli;

namespace Berth.Agnhost.Tests.Cli;

public sealed class FlagSetTests
{
    private static FlagSet Flags()
    {
        var flags = new FlagSet("test");
        flags.Int("port", 9376, "port");
        flags.Bool("http", true, "http");
        flags.Bool("tcp", false, "tcp");
        flags.String("name", string.Empty, "name");
        return flags;
    }

    [Fact]
    public void Parse_EqualsSpaceAndBareBool_Bound()
    {
        var flags = Flags();

        var error = flags.Parse(["--port", "80", "--http=false", "--tcp", "--name=a=b"]);

        Assert.Null(error);
        Assert.Equal(80, flags.GetInt("port"));
        Assert.False(flags.GetBool("http"));
        Assert.True(flags.GetBool("tcp"));
        Assert.Equal("a=b", flags.GetString("name"));
    }

    [Fact]
    public void Parse_NothingGiven_Defaults()
    {
        var flags = Flags();

        Assert.Null(flags.Parse([]));
        Assert.Equal(9376, flags.GetInt("port"));
        Assert.True(flags.GetBool("http"));
    }

    [Fact]
    public void Parse_PositionalAndDoubleDash_Collected()
    {
        var flags = Flags();

        var error = flags.Parse(["one", "--tcp", "--", "--port=1"]);

        Assert.Null(error);
        Assert.Equal(["one", "--port=1"], flags.Positional);
        Assert.Equal(9376, flags.GetInt("port"));
    }

    [Theory]
    [InlineData("--port", "flag needs an argument: --port")]
    [InlineData("--tcp=maybe", "invalid argument \"maybe\" for \"--tcp\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("--nope", "unknown flag: --nope")]
    public void Parse_Wrong_PflagMessage(string arg, string expected)
    {
        Assert.Equal(expected, Flags().Parse([arg]));
    }

    [Fact]
    public void Parse_KlogFlags_Ignored()
    {
        var flags = Flags();

        var error = flags.Parse(["-v", "3", "--vmodule=x=2", "--alsologtostderr", "--port=1"]);

        Assert.Null(error);
        Assert.Equal(1, flags.GetInt("port"));
        Assert.Empty(flags.Positional);
    }
}
