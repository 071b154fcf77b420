using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Status;

/// <summary>
/// Draws a <see cref="ClusterStatus"/> for the terminal: a table of the nodes, then a tree per namespace —
/// Service → port → endpoint → pod → node — with readiness, addresses, restarts and, when the node's proxy reports
/// them, active connections per endpoint.
/// </summary>
internal static class StatusView
{
    /// <summary>Active connections through the proxy per (namespace/service:port name, endpoint address:port).</summary>
    public delegate long? ConnectionCount(ServiceStatus service, PortStatus port, EndpointStatus endpoint);

    public static IRenderable Render(ClusterStatus status, ConnectionCount? connections = null)
    {
        var parts = new List<IRenderable> { Nodes(status.Nodes) };
        foreach (var group in status.Services.GroupBy(s => s.Namespace))
        {
            var tree = new Tree(new Markup($"[bold]namespace {Markup.Escape(group.Key)}[/]"));
            foreach (var service in group)
            {
                AddService(tree, service, connections);
            }

            parts.Add(tree);
        }

        return new Rows(parts);
    }

    private static Table Nodes(IReadOnlyList<NodeStatus> nodes)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("nodes");
        table.AddColumns("node", "ready", "address", "pod CIDR", "pods");
        foreach (var node in nodes)
        {
            table.AddRow(
                Markup.Escape(node.Name),
                node.Ready == "True" ? "[green]Ready[/]" : $"[red]{Markup.Escape(node.Ready)}[/]",
                Markup.Escape(node.Address ?? "-"),
                Markup.Escape(node.PodCidr ?? "-"),
                node.Pods.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static void AddService(Tree tree, ServiceStatus service, ConnectionCount? connections)
    {
        var node = tree.AddNode(new Markup($"[bold blue]svc/{Markup.Escape(service.Name)}[/] {Markup.Escape(Addresses(service))}"));
        foreach (var port in service.Ports)
        {
            var nodePort = port.NodePort is { } np ? $" nodePort {np}" : "";
            var portNode = node.AddNode(new Markup(Markup.Escape($"{port.Name ?? "(unnamed)"} {port.Port}/{port.Protocol}{nodePort} → {port.TargetPort}")));
            AddEndpoints(portNode, port.Endpoints, e => connections?.Invoke(service, port, e));
        }

        AddEndpoints(node, service.PortlessEndpoints, _ => null);
        if (service.Ports.Count > 0 && service.Ports.All(p => p.Endpoints.Count == 0) && service.Type != "ExternalName")
        {
            node.AddNode(new Markup("[yellow]no endpoints[/]"));
        }
    }

    private static void AddEndpoints(TreeNode parent, IReadOnlyList<EndpointStatus> endpoints, Func<EndpointStatus, long?> connections)
    {
        foreach (var endpoint in endpoints)
        {
            var color = endpoint.Condition == "ready" ? "green" : endpoint.Condition.StartsWith("terminating", StringComparison.Ordinal) ? "yellow" : "red";
            var address = endpoint.Port is { } p ? $"{endpoint.Address}:{p}" : endpoint.Address;
            var text = $"{Markup.Escape(address)} [{color}]{Markup.Escape(endpoint.Condition)}[/]";
            if (connections(endpoint) is { } count)
            {
                text += $" {count} conn";
            }

            if (endpoint.Pod is { } pod)
            {
                var restarts = pod.Restarts == 1 ? "1 restart" : $"{pod.Restarts} restarts";
                text += Markup.Escape($"  pod/{pod.Name} {pod.Phase}, {restarts}, node {pod.NodeName ?? "-"}");
            }
            else if (endpoint.NodeName is { } nodeName)
            {
                text += Markup.Escape($"  node {nodeName}");
            }

            parent.AddNode(new Markup(text));
        }
    }

    private static string Addresses(ServiceStatus service)
    {
        if (service.Type == "ExternalName")
        {
            return $"ExternalName → {service.ExternalName}";
        }

        var parts = new List<string> { service.Type, service.ClusterIp == "None" ? "headless" : service.ClusterIp ?? "-" };
        if (service.LoadBalancerIps.Count > 0)
        {
            parts.Add("LB " + string.Join(",", service.LoadBalancerIps));
        }
        else if (service.Type == "LoadBalancer")
        {
            parts.Add("LB <pending>");
        }

        if (service.ExternalIps.Count > 0)
        {
            parts.Add("external " + string.Join(",", service.ExternalIps));
        }

        return string.Join("  ", parts);
    }
}
