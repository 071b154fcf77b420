using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.Tests.EndpointSlices;

/// <summary>Builders and readers for the endpoint controllers' integration tests.</summary>
internal static class Services
{
    public static V1Service WithSelector(string ns, string name, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["team"] = "a" } },
        Spec = new V1ServiceSpec
        {
            Selector = FakeKubelet.WebLabels,
            Ports = ports.Length == 0 ? [Port("http", 80, 8080)] : ports,
        },
    };

    public static V1Service WithoutSelector(string ns, string name, params V1ServicePort[] ports)
    {
        var service = WithSelector(ns, name, ports);
        service.Spec.Selector = null;
        return service;
    }

    public static V1ServicePort Port(string name, int port, IntOrString targetPort, string protocol = "TCP") =>
        new() { Name = name, Port = port, TargetPort = targetPort, Protocol = protocol };

    /// <summary>The slices of a Service managed by <paramref name="managedBy"/>, ordered by name.</summary>
    public static async Task<IReadOnlyList<V1EndpointSlice>> SlicesAsync(IApiClient client, string ns, string service, string managedBy = "endpointslice-controller.k8s.io")
    {
        var list = await client.ListAsync<V1EndpointSlice>(
            ns,
            new ListQuery { LabelSelector = "kubernetes.io/service-name=" + service + ",endpointslice.kubernetes.io/managed-by=" + managedBy },
            CancellationToken.None);
        return [.. list.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every endpoint of the slices, by address.</summary>
    public static Dictionary<string, V1Endpoint> Endpoints(IEnumerable<V1EndpointSlice> slices) =>
        slices.SelectMany(s => s.Endpoints ?? []).ToDictionary(e => e.Addresses[0], StringComparer.Ordinal);
}
