using System.Net;
using Berth.Proxy.Changes;
using k8s;
using k8s.Models;

namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>Selector-less Services and hand-written EndpointSlices, as a user writes them for endpoints outside any pod.</summary>
internal static class Objects
{
    public static V1Service Service(string ns, string name, string type = "ClusterIP", params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Type = type, Ports = ports.Length > 0 ? ports : [Port("http", 80)] },
    };

    public static V1ServicePort Port(string name, int port, string protocol = "TCP") => new() { Name = name, Port = port, Protocol = protocol };

    /// <summary>One ready endpoint on <paramref name="node"/>.</summary>
    public static V1Endpoint Endpoint(IPAddress address, string node = ProxyFixture.NodeName, bool ready = true, bool serving = true, bool terminating = false) => new()
    {
        Addresses = [address.ToString()],
        NodeName = node,
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
    };

    public static V1EndpointSlice Slice(string ns, string service, string name, IReadOnlyList<(string Name, int Port, string Protocol)> ports, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [SliceParser.ServiceNameLabel] = service },
        },
        AddressType = "IPv4",
        Ports = [.. ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
        Endpoints = endpoints,
    };

    public static Task<V1Service> CreateAsync(this Kubernetes client, V1Service service) =>
        client.CoreV1.CreateNamespacedServiceAsync(service, service.Metadata.NamespaceProperty);

    public static Task<V1EndpointSlice> CreateAsync(this Kubernetes client, V1EndpointSlice slice) =>
        client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, slice.Metadata.NamespaceProperty);

    /// <summary>Replaces a slice's endpoints (read, change, write).</summary>
    public static async Task SetEndpointsAsync(this Kubernetes client, string ns, string slice, params V1Endpoint[] endpoints)
    {
        var current = await client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(slice, ns);
        current.Endpoints = endpoints;
        await client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(current, slice, ns);
    }

    /// <summary>Changes a Service (read, change, write).</summary>
    public static async Task<V1Service> ChangeServiceAsync(this Kubernetes client, string ns, string name, Action<V1Service> change)
    {
        var current = await client.CoreV1.ReadNamespacedServiceAsync(name, ns);
        change(current);
        return await client.CoreV1.ReplaceNamespacedServiceAsync(current, name, ns);
    }

    public static IPEndPoint ClusterEndPoint(this V1Service service, int? port = null) =>
        new(IPAddress.Parse(service.Spec.ClusterIP), port ?? service.Spec.Ports[0].Port);
}
