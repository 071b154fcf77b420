using System.Net;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests.Netexec;

public sealed class NetexecHttpTests
{
    private static readonly string[] _netexec = ["netexec", "--http-port=0", "--udp-port=0"];

    [Fact]
    public async Task Hostname_BothSpellings_AnswerHostnameOnPodIP()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http", "udp"]);
        using var client = TestAddresses.HttpClient();

        var lower = await client.GetStringAsync(agnhost.Url("/hostname"));
        var upper = await client.GetStringAsync(agnhost.Url("/hostName"));

        Assert.Equal("mypod", lower);
        Assert.Equal("mypod", upper);
        Assert.Equal(agnhost.PodIP, agnhost["http"].Address);
        Assert.Equal(agnhost.PodIP, agnhost["udp"].Address);
    }

    [Fact]
    public async Task Echo_WithCode_AnswersMessageWithThatStatus()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        using var plain = await client.GetAsync(agnhost.Url("/echo?msg=hello+world%21"));
        using var coded = await client.GetAsync(agnhost.Url("/echo?msg=teapot&code=418"));
        using var bad = await client.GetAsync(agnhost.Url("/echo?msg=x&code=abc"));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("hello world!", await plain.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", plain.Content.Headers.ContentType!.ToString());
        Assert.Equal((HttpStatusCode)418, coded.StatusCode);
        Assert.Equal("teapot", await coded.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Equal("argument 'code' must be an integer or empty, got \"abc\"\n", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ClientIP_AnswersAddressAndPortOfCaller()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        var clientIP = await client.GetStringAsync(agnhost.Url("/clientip"));

        Assert.Matches(@"^127\.0\.0\.1:\d+$", clientIP);
    }

    [Fact]
    public async Task Header_KeyOrAll_AnswersValueOrSortedJson()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();
        using var one = new HttpRequestMessage(HttpMethod.Get, agnhost.Url("/header?key=x-forwarded-for"));
        one.Headers.Add("X-Forwarded-For", "10.1.2.3");
        using var all = new HttpRequestMessage(HttpMethod.Get, agnhost.Url("/header"));
        all.Headers.Add("x-b", "2");
        all.Headers.Add("x-a", "<1>");

        using var oneResponse = await client.SendAsync(one);
        using var allResponse = await client.SendAsync(all);

        Assert.Equal("10.1.2.3", await oneResponse.Content.ReadAsStringAsync());
        Assert.Equal("{\"X-A\":[\"\\u003c1\\u003e\"],\"X-B\":[\"2\"]}", await allResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthzReadyz_UdpServing_AnswerOk()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http", "udp"]);
        using var client = TestAddresses.HttpClient();

        using var healthz = await client.GetAsync(agnhost.Url("/healthz"));
        using var readyz = await client.GetAsync(agnhost.Url("/readyz"));

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal("ok", await readyz.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthzReadyz_UdpDisabled_PreconditionFailedAsUpstream()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["netexec", "--http-port=0", "--udp-port=-1"], ["http"]);
        using var client = TestAddresses.HttpClient();

        using var healthz = await client.GetAsync(agnhost.Url("/healthz"));
        using var readyz = await client.GetAsync(agnhost.Url("/readyz"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, readyz.StatusCode);
    }

    [Fact]
    public async Task Shell_CommandFails_AnswersCombinedOutputAndExitStatus()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        var failed = await client.GetStringAsync(agnhost.Url("/shell?cmd=" + Uri.EscapeDataString("echo out; echo err >&2; exit 3")));
        var ok = await client.GetStringAsync(agnhost.Url("/shell?shellCommand=" + Uri.EscapeDataString("printf '<%s>' \"$HOSTNAME\"")));
        var silent = await client.GetStringAsync(agnhost.Url("/shell?cmd=true"));

        Assert.Equal("{\"error\":\"exit status 3\",\"output\":\"out\\nerr\\n\"}", failed);
        Assert.StartsWith("{\"output\":\"\\u003c", ok, StringComparison.Ordinal);
        Assert.Equal("{}", silent);
    }

    [Fact]
    public async Task Root_AnswersGoTimestamp()
    {
        var time = new ManualTimeProvider();
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"], time);
        using var client = TestAddresses.HttpClient();

        var now = await client.GetStringAsync(agnhost.Url("/"));
        var notFound = await client.GetStringAsync(agnhost.Url("/no/such/path"));

        Assert.Equal("NOW: 2025-01-01 00:00:00 +0000 UTC m=+0.000000000", now);
        Assert.StartsWith("NOW: ", notFound, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_AndUncleanPath_AnswerGoRedirects()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        using var redirect = await client.GetAsync(agnhost.Url("/redirect?location=/echo%3Fmsg=foobar&code=307"));
        using var unclean = await client.GetAsync(agnhost.Url("//hostname?x=1"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal("/echo?msg=foobar", redirect.Headers.Location!.OriginalString);
        Assert.Equal("<a href=\"/echo?msg=foobar\">Temporary Redirect</a>.\n\n", await redirect.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MovedPermanently, unclean.StatusCode);
        Assert.Equal("/hostname?x=1", unclean.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task HttpOverride_AnyPath_ServedAsOverride()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["netexec", "--http-port=0", "--udp-port=-1", "--http-override=/echo?msg=overridden"], ["http"]);
        using var client = TestAddresses.HttpClient();

        var hostname = await client.GetStringAsync(agnhost.Url("/hostname"));
        var other = await client.GetStringAsync(agnhost.Url("/any/thing?msg=ignored"));

        Assert.Equal("overridden", hostname);
        Assert.Equal("overridden", other);
    }

    [Fact]
    public async Task KeepAlive_ManyRequestsOneConnection_AllAnswered()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.GetStringAsync(agnhost.Url("/echo?msg=" + i))));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), answers);
    }

    [Fact]
    public async Task Post_FormBody_TakesPrecedenceOverQuery()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();
        using var form = new FormUrlEncodedContent([new("msg", "from-body")]);

        using var response = await client.PostAsync(agnhost.Url("/echo?msg=from-query"), form);

        Assert.Equal("from-body", await response.Content.ReadAsStringAsync());
    }
}
