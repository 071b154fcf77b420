using System.Text;
using Berth.Agnhost.Http;

namespace Berth.Agnhost.Tests.Http;

public sealed class HttpRequestReaderTests
{
    [Fact]
    public async Task Read_PipelinedRequestsWithChunkedBody_ParsedInOrder()
    {
        var wire = "POST /echo?msg=a%20b HTTP/1.1\r\nHost: pod\r\nx-custom-header: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n"
            + "GET //x HTTP/1.0\nConnection: keep-alive\n\n";
        var reader = new HttpRequestReader(new MemoryStream(Encoding.ASCII.GetBytes(wire)));

        var first = await ReadAsync(reader);
        var second = await ReadAsync(reader);
        var end = await ReadAsync(reader);

        Assert.Equal("POST", first!.Method);
        Assert.Equal("/echo", first.Path);
        Assert.Equal("msg=a%20b", first.RawQuery);
        Assert.Equal("a b", first.FormValue("msg"));
        Assert.Equal("pod", first.Host);
        Assert.Equal("1", first.Header("X-CUSTOM-HEADER"));
        Assert.Equal("X-Custom-Header", first.Headers.Single().Key);
        Assert.Equal("hello", Encoding.ASCII.GetString(first.Body.Span));
        Assert.True(first.KeepAlive);
        Assert.Equal("//x", second!.Path);
        Assert.Equal(0, second.ProtoMinor);
        Assert.True(second.KeepAlive);
        Assert.Null(end);
    }

    [Theory]
    [InlineData("GET /\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("GET /%zz HTTP/1.1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n", 400)]
    public async Task Read_Malformed_ParseExceptionWithStatus(string wire, int status)
    {
        var reader = new HttpRequestReader(new MemoryStream(Encoding.ASCII.GetBytes(wire)));

        var e = await Assert.ThrowsAsync<HttpParseException>(() => ReadAsync(reader));

        Assert.Equal(status, e.StatusCode);
    }

    [Fact]
    public async Task Read_HeadersPastOneMebibyte_Status431()
    {
        var wire = "GET / HTTP/1.1\r\nX-Big: " + new string('a', (1 << 20) + 8192) + "\r\n\r\n";
        var reader = new HttpRequestReader(new MemoryStream(Encoding.ASCII.GetBytes(wire)));

        var e = await Assert.ThrowsAsync<HttpParseException>(() => ReadAsync(reader));

        Assert.Equal(431, e.StatusCode);
    }

    [Fact]
    public void QueryString_GoRules_SemicolonPairsAndBadEscapesSkipped()
    {
        var pairs = QueryString.Parse("a=1+2&b=x;y&c=%zz&d&e=%41");

        Assert.Equal([new("a", "1 2"), new("d", string.Empty), new("e", "A")], pairs);
    }

    private static Task<HttpRequest?> ReadAsync(HttpRequestReader reader) =>
        reader.ReadAsync("127.0.0.1:1", () => ValueTask.CompletedTask, CancellationToken.None).AsTask();
}
