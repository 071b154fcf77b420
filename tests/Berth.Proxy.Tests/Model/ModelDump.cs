using System.Globalization;
using System.Net;
using System.Text;
using Berth.Proxy.Model;

namespace Berth.Proxy.Tests.Model;

/// <summary>The golden tests' rendering of a model: every field a backend reads, one Service port per block.</summary>
internal static class ModelDump
{
    public static string Render(IEnumerable<ServicePortModel> ports)
    {
        var text = new StringBuilder();
        var list = ports.ToList();
        if (list.Count == 0)
        {
            return "no Service ports: the proxy leaves this Service alone\n";
        }

        foreach (var port in list)
        {
            var info = port.Info;
            text.Append(CultureInfo.InvariantCulture, $"{port.Name} {port.Name.Protocol} port {info.Port}\n");
            text.Append(CultureInfo.InvariantCulture, $"  clusterIPs {List(info.ClusterIPs)}  nodePort {Number(info.NodePort)}  loadBalancer {List(info.LoadBalancerIPs)}  externalIPs {List(info.ExternalIPs)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  affinity {(info.AffinityTimeout is { } t ? t.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s" : "-")}  internalTrafficPolicy {(info.InternalPolicyLocal ? "Local" : "Cluster")}  externalTrafficPolicy {(info.ExternalPolicyLocal ? "Local" : "Cluster")}  healthCheckNodePort {Number(info.HealthCheckNodePort)}");
            text.Append(CultureInfo.InvariantCulture, $"  loadBalancing {info.LoadBalancing?.ToString() ?? "-"}  proxyProtocol {(info.ProxyProtocol ? "v2" : "-")}\n");
            text.Append("  endpoints\n");
            foreach (var e in port.Endpoints)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {e}  {(e.Ready ? "ready" : "not-ready")}{(e.Serving ? " serving" : string.Empty)}{(e.Terminating ? " terminating" : string.Empty)}{(e.IsLocal ? " local" : string.Empty)}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"  internal  {Targets(port.Internal)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  external  {Targets(port.External)}\n");
        }

        return text.ToString();
    }

    private static string Targets(EndpointTargets targets) => targets.Verdict switch
    {
        Verdict.Forward => "forward " + string.Join(' ', targets.Endpoints.Select(e => e.ToString())),
        Verdict.Drop => "drop",
        _ => "reject",
    };

    private static string List(EquatableArray<IPAddress> addresses) => addresses.IsEmpty ? "-" : string.Join(',', addresses.Select(a => a.ToString()));

    private static string Number(int value) => value == 0 ? "-" : value.ToString(CultureInfo.InvariantCulture);
}
