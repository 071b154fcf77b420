using k8s.Models;

namespace Berth.Dns.Tests.Infrastructure;

/// <summary>Services and EndpointSlices as tests write them (selector-less: the test plays the endpoints' owner).</summary>
internal static class Objects
{
    public static V1Service ClusterIp(string ns, string name, params (string Name, int Port, string Protocol)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })] },
    };

    public static V1Service Headless(string ns, string name, params (string Name, int Port, string Protocol)[] ports)
    {
        var service = ClusterIp(ns, name, ports);
        service.Spec.ClusterIP = "None";
        return service;
    }

    public static V1Service ExternalName(string ns, string name, string target) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = target },
    };

    public static V1EndpointSlice Slice(string ns, string service, string name, IEnumerable<V1Endpoint> endpoints, params (string Name, int Port, string Protocol)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
        AddressType = "IPv4",
        Endpoints = [.. endpoints],
        Ports = [.. ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
    };

    public static V1Endpoint Endpoint(string ip, bool ready = true, string? hostname = null) =>
        new() { Addresses = [ip], Hostname = hostname, Conditions = new V1EndpointConditions { Ready = ready } };
}
