namespace Berth.Status;

/// <summary>What <c>berth status</c> shows: the nodes, and each Service down to the pods behind it.</summary>
internal sealed record ClusterStatus(IReadOnlyList<NodeStatus> Nodes, IReadOnlyList<ServiceStatus> Services);

internal sealed record NodeStatus(string Name, string Ready, string? Address, string? PodCidr, int Pods);

/// <summary>One Service: its addresses, and per port the endpoints from its EndpointSlices.</summary>
internal sealed record ServiceStatus(
    string Namespace,
    string Name,
    string Type,
    string? ClusterIp,
    IReadOnlyList<string> LoadBalancerIps,
    IReadOnlyList<string> ExternalIps,
    string? ExternalName,
    IReadOnlyList<PortStatus> Ports,
    IReadOnlyList<EndpointStatus> PortlessEndpoints);

/// <summary>A Service port and the endpoints it reaches (matched by port name and protocol, as the proxy does).</summary>
internal sealed record PortStatus(string? Name, int Port, string Protocol, int? NodePort, string TargetPort, IReadOnlyList<EndpointStatus> Endpoints);

/// <summary>An endpoint: its address, conditions, and the pod behind it when it is one.</summary>
internal sealed record EndpointStatus(string Address, int? Port, string Condition, PodStatus? Pod, string? NodeName);

internal sealed record PodStatus(string Name, string Phase, bool Ready, int Restarts, string? NodeName);
