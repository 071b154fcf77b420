using System.Globalization;
using k8s.Models;

namespace Berth.Node.Pods;

/// <summary>
/// The service environment variables the kubelet gives a container (pkg/kubelet/envvars/envvars.go and
/// kubelet_pods.go getServiceEnvVarMap; docs: kubernetes-services.md §6).
/// </summary>
internal static class ServiceEnvironment
{
    /// <summary>
    /// The variables of the services a pod in <paramref name="ns"/> sees: <c>default/kubernetes</c> always, the pod's
    /// own namespace's services only with <paramref name="enableServiceLinks"/> (a <c>kubernetes</c> service there wins
    /// over the default one). Services without a cluster IP (headless, ExternalName) give nothing. Ordered by service
    /// name, each service's variables in the kubelet's order.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string ns, bool enableServiceLinks, IEnumerable<V1Service> services)
    {
        var chosen = new SortedDictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!IsServiceIPSet(service))
            {
                continue;
            }

            var name = service.Metadata.Name;
            if (service.Metadata.NamespaceProperty == "default" && name == "kubernetes")
            {
                chosen.TryAdd(name, service);
            }
            else if (service.Metadata.NamespaceProperty == ns && enableServiceLinks)
            {
                chosen[name] = service;
            }
        }

        var result = new List<KeyValuePair<string, string>>();
        foreach (var service in chosen.Values)
        {
            AddService(result, service);
        }

        return result;
    }

    private static bool IsServiceIPSet(V1Service service) =>
        service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None" && service.Spec.Ports is { Count: > 0 };

    private static void AddService(List<KeyValuePair<string, string>> result, V1Service service)
    {
        var prefix = VariableName(service.Metadata.Name);
        var ip = service.Spec.ClusterIP;
        var ports = service.Spec.Ports;
        result.Add(new(prefix + "_SERVICE_HOST", ip));
        var portName = prefix + "_SERVICE_PORT";
        result.Add(new(portName, Number(ports[0].Port)));
        foreach (var port in ports)
        {
            if (!string.IsNullOrEmpty(port.Name))
            {
                result.Add(new(portName + "_" + VariableName(port.Name), Number(port.Port)));
            }
        }

        // Docker link variables; only the primary cluster IP, not bracketed even for IPv6 (as envvars.go).
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var protocol = string.IsNullOrEmpty(port.Protocol) ? "TCP" : port.Protocol;
            var url = protocol.ToLowerInvariant() + "://" + ip + ":" + Number(port.Port);
            if (i == 0)
            {
                result.Add(new(prefix + "_PORT", url));
            }

            var portPrefix = prefix + "_PORT_" + Number(port.Port) + "_" + protocol.ToUpperInvariant();
            result.Add(new(portPrefix, url));
            result.Add(new(portPrefix + "_PROTO", protocol.ToLowerInvariant()));
            result.Add(new(portPrefix + "_PORT", Number(port.Port)));
            result.Add(new(portPrefix + "_ADDR", ip));
        }
    }

    private static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
