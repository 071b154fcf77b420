using Berth.Agnhost.Http;

namespace Berth.Agnhost.Tests.Http;

public sealed class ServeMuxTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//hostname", "/hostname")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/../x", "/x")]
    [InlineData("echo", "/echo")]
    public void CleanPath_AsGo(string path, string expected)
    {
        Assert.Equal(expected, ServeMux.CleanPath(path));
    }

    [Theory]
    [InlineData("/dir/page", "other", "/dir/other")]
    [InlineData("/dir/page", "../up?x=1", "/up?x=1")]
    [InlineData("/redirect", "http://example.com/x", "http://example.com/x")]
    [InlineData("/redirect", "", "/")]
    public void Redirect_RelativeLocation_MadeAbsolute(string requestPath, string location, string expected)
    {
        var request = new HttpRequest { Method = "POST", Path = requestPath };
        var response = new HttpResponse();

        ServeMux.Redirect(request, response, location, 302);

        Assert.Equal(302, response.StatusCode);
        Assert.Equal(expected, response.Header("Location"));
        Assert.Equal(0, response.Body.Length);
    }

    [Fact]
    public async Task Serve_ExactBeforeRoot_TrailingSlashGoesToRoot()
    {
        var mux = new ServeMux();
        mux.Handle("/", (r, w, c) => Answer(w, "root"));
        mux.Handle("/echo", (r, w, c) => Answer(w, "echo"));

        var exact = await ServeAsync(mux, "/echo");
        var slash = await ServeAsync(mux, "/echo/");

        Assert.Equal("echo", exact);
        Assert.Equal("root", slash);
    }

    private static ValueTask Answer(HttpResponse response, string text)
    {
        response.Write(text);
        return ValueTask.CompletedTask;
    }

    private static async Task<string> ServeAsync(ServeMux mux, string path)
    {
        var response = new HttpResponse();
        await mux.ServeAsync(new HttpRequest { Method = "GET", Path = path }, response, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(response.Body);
    }
}
