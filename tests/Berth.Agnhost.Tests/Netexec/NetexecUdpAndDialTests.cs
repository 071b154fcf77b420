using System.Net;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests.Netexec;

public sealed class NetexecUdpAndDialTests
{
    private static readonly string[] _netexec = ["netexec", "--http-port=0", "--udp-port=0"];

    [Fact]
    public async Task Udp_Commands_AnswerHostnameEchoClientIP()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http", "udp"]);

        var hostname = await TestAddresses.UdpAsync(agnhost["udp"], "hostname\n");
        var echo = await TestAddresses.UdpAsync(agnhost["udp"], "echo Hello World");
        var clientIP = await TestAddresses.UdpAsync(agnhost["udp"], "clientip");

        Assert.Equal("mypod", hostname);
        Assert.Equal("hello world", echo); // upstream lower-cases the command text, message included
        Assert.Matches(@"^127\.0\.0\.1:\d+$", clientIP);
    }

    [Fact]
    public async Task Dial_HttpAndUdpToAnotherPod_AnswersResponsesAndLeavesFromPodIP()
    {
        await using var target = await RunningAgnhost.StartAsync(_netexec, ["http", "udp"]);
        await using var client = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var http = TestAddresses.HttpClient();
        var host = target.PodIP.ToString();

        var hostnames = await http.GetStringAsync(client.Url($"/dial?request=hostname&host={host}&port={target["http"].Port}&protocol=http&tries=3"));
        var udp = await http.GetStringAsync(client.Url($"/dial?request=hostname&host={host}&port={target["udp"].Port}&protocol=udp&tries=2"));
        var clientIP = await http.GetStringAsync(client.Url($"/dial?request=clientip&host={host}&port={target["http"].Port}"));

        Assert.Equal("{\"responses\":[\"mypod\",\"mypod\",\"mypod\"]}", hostnames);
        Assert.Equal("{\"responses\":[\"mypod\",\"mypod\"]}", udp);
        Assert.StartsWith("{\"responses\":[\"" + client.PodIP + ":", clientIP, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_Refused_AnswersGoErrorsWith200()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var http = TestAddresses.HttpClient();
        var closedPort = TestAddresses.FreePort(agnhost.PodIP);

        using var response = await http.GetAsync(agnhost.Url($"/dial?request=hostname&host={agnhost.PodIP}&port={closedPort}&tries=2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = $"Get \\\"http://{agnhost.PodIP}:{closedPort}/hostname\\\": dial tcp {agnhost.PodIP}:{closedPort}: connect: connection refused";
        Assert.Equal("{\"errors\":[\"" + refused + "\",\"" + refused + "\"]}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/dial?host=127.0.0.1&port=80", "request parameter not specified. <nil>\n")]
    [InlineData("/dial?request=x&host=127.0.0.1&port=80&tries=two", "tries parameter is invalid. strconv.Atoi: parsing \"two\": invalid syntax\n")]
    [InlineData("/dial?request=x&host=127.0.0.1&port=80&protocol=icmp", "unsupported protocol. icmp\n")]
    [InlineData("/dial?request=x&host=127.0.0.1&port=99999", "host and/or port param are invalid. address 99999: invalid port\n")]
    public async Task Dial_BadParameters_AnswerBadRequest(string pathAndQuery, string message)
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var http = TestAddresses.HttpClient();

        using var response = await http.GetAsync(agnhost.Url(pathAndQuery));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dial_UdpNoAnswer_ReportsReadError()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var http = TestAddresses.HttpClient();
        var closedPort = TestAddresses.FreePort(agnhost.PodIP);

        var answer = await http.GetStringAsync(agnhost.Url($"/dial?request=hostname&host={agnhost.PodIP}&port={closedPort}&protocol=udp"));

        // Loopback answers a closed UDP port with ICMP port unreachable at once.
        Assert.StartsWith("{\"errors\":[\"reading from udp connection failed. err:'read udp " + agnhost.PodIP + ":", answer, StringComparison.Ordinal);
        Assert.EndsWith(": read: connection refused'\"]}", answer, StringComparison.Ordinal);
    }
}
