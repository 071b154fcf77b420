using System.Net;
using System.Net.Sockets;
using Berth.Agnhost.Go;
using Berth.Agnhost.Http;

namespace Berth.Agnhost.Netexec;

internal sealed partial class NetexecHandlers
{
    /// <summary>
    /// <c>/dial?request=&amp;host=&amp;port=&amp;protocol=&amp;tries=</c>: <c>{"responses":[…]}</c> and/or
    /// <c>{"errors":[…]}</c>. As upstream, "responses" is present only when the last try succeeded with a non-empty
    /// answer, and the status is 200 whatever the outcome.
    /// </summary>
    private async ValueTask DialAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var host = request.QueryValue("host");
        var port = request.QueryValue("port");
        var what = request.QueryValue("request");
        var protocol = request.QueryValue("protocol");
        var tryParam = request.QueryValue("tries");
        log.Print("GET /dial?host=" + host + "&protocol=" + protocol + "&port=" + port + "&request=" + what + "&tries=" + tryParam);
        var tries = 1;
        if (tryParam.Length > 0 && !TryAtoi(tryParam, out tries))
        {
            response.Error("tries parameter is invalid. strconv.Atoi: parsing " + GoText.Quote(tryParam) + ": invalid syntax", 400);
            return;
        }

        if (what.Length == 0)
        {
            response.Error("request parameter not specified. <nil>", 400);
            return;
        }

        var network = protocol.ToLowerInvariant() switch
        {
            "" or "http" => "tcp",
            "udp" => "udp",
            "sctp" => "sctp",
            _ => null,
        };
        if (network is null)
        {
            response.Error("unsupported protocol. " + protocol, 400);
            return;
        }

        var (target, resolveError) = await ResolveAsync(network, host, port, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            response.Error("host and/or port param are invalid. " + resolveError, 400);
            return;
        }

        var errors = new List<string>();
        var responses = new List<string>();
        var last = string.Empty;
        for (var i = 0; i < tries; i++)
        {
            var outcome = network switch
            {
                "tcp" => await dialer.HttpAsync(what, target, cancellationToken).ConfigureAwait(false),
                "udp" => await dialer.UdpAsync(what, target, cancellationToken).ConfigureAwait(false),
                _ => DialOutcome.Failed("sctp dial failed. err:SCTP is not supported by Berth's built-in agnhost"),
            };
            last = outcome.Response;
            if (outcome.Error is not null)
            {
                errors.Add(outcome.Error);
            }
            else
            {
                responses.Add(outcome.Response);
            }
        }

        var output = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        if (last.Length > 0)
        {
            output.Add(new("responses", responses));
        }

        if (errors.Count > 0)
        {
            output.Add(new("errors", errors));
        }

        response.Write(GoJson.Object(output));
    }

    /// <summary><c>net.ResolveTCPAddr</c> / <c>ResolveUDPAddr</c> of <c>host:port</c>.</summary>
    private static async Task<(IPEndPoint? Target, string Error)> ResolveAsync(string network, string host, string port, CancellationToken cancellationToken)
    {
        var portNumber = 0;
        if (port.Length > 0 && (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out portNumber) || portNumber > 65535))
        {
            return (null, "address " + port + ": invalid port");
        }

        if (host.Length == 0)
        {
            return (new IPEndPoint(IPAddress.Loopback, portNumber), string.Empty);
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return (new IPEndPoint(literal, portNumber), string.Empty);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null
                ? (null, "lookup " + host + ": no such host")
                : (new IPEndPoint(chosen, portNumber), string.Empty);
        }
        catch (SocketException)
        {
            return (null, "lookup " + host + ": no such host");
        }
        catch (ArgumentException)
        {
            return (null, "lookup " + host + ": no such host");
        }
    }
}
