using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Status;

/// <summary>
/// The node proxy's open connections per endpoint, from its Prometheus text (<c>berth_proxy_endpoint_active_connections</c>
/// on the node's <c>--metrics-addr</c>), for <see cref="StatusView"/>.
/// </summary>
internal sealed partial class ProxyConnections
{
    private const string Metric = "berth_proxy_endpoint_active_connections";

    private readonly Dictionary<(string Namespace, string Service, string Port, string Endpoint), long> _open;

    private ProxyConnections(Dictionary<(string, string, string, string), long> open) => _open = open;

    /// <summary>Reads the metric's samples out of a Prometheus text exposition.</summary>
    public static ProxyConnections Parse(string metrics)
    {
        var open = new Dictionary<(string, string, string, string), long>();
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(Metric + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labels = Label().Matches(line[(Metric.Length + 1)..close]).ToDictionary(m => m.Groups[1].Value, m => Regex.Unescape(m.Groups[2].Value));
            if (labels.TryGetValue("namespace", out var ns) && labels.TryGetValue("service", out var service) &&
                labels.TryGetValue("port", out var port) && labels.TryGetValue("endpoint", out var endpoint) &&
                double.TryParse(line[(close + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                open[(ns, service, port, endpoint)] = (long)value;
            }
        }

        return new ProxyConnections(open);
    }

    /// <summary>Open connections to <paramref name="endpoint"/> of the Service port; null when the proxy has none on record.</summary>
    public long? Count(ServiceStatus service, PortStatus port, EndpointStatus endpoint) =>
        endpoint.Port is { } number && _open.TryGetValue((service.Namespace, service.Name, port.Name ?? "", endpoint.Address + ":" + number.ToString(CultureInfo.InvariantCulture)), out var count)
            ? count
            : null;

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""", RegexOptions.None)]
    private static partial Regex Label();
}
