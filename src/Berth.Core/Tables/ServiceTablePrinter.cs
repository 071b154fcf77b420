using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get services</c>: a port of <c>printService</c>, <c>getServiceExternalIP</c> and <c>makePortString</c>.</summary>
internal sealed class ServiceTablePrinter : TablePrinter<V1Service>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Type", ColumnDescriptions.ServiceType),
        TableColumnDefinition.String("Cluster-IP", ColumnDescriptions.ServiceClusterIP),
        TableColumnDefinition.String("External-IP", ColumnDescriptions.ServiceExternalIPs),
        TableColumnDefinition.String("Port(s)", ColumnDescriptions.ServicePorts),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Selector", ColumnDescriptions.ServiceSelector, 1),
    ];

    protected override TableRow Print(V1Service service, DateTimeOffset now)
    {
        var spec = service.Spec ?? new V1ServiceSpec();

        // Kubernetes reads spec.clusterIPs only; a Service stored without it (not defaulted) falls back to clusterIP.
        var clusterIP = spec.ClusterIPs is { Count: > 0 } ips ? ips[0] : spec.ClusterIP;
        var ports = MakePortString(spec.Ports);

        object[] cells =
        [
            service.Metadata?.Name ?? string.Empty,
            spec.Type ?? string.Empty,
            string.IsNullOrEmpty(clusterIP) ? "<none>" : clusterIP,
            ExternalIP(service),
            ports.Length == 0 ? "<none>" : ports,
            HumanDuration.Since(service.Metadata?.CreationTimestamp, now),
            TableFormat.FormatLabels(spec.Selector),
        ];
        return new TableRow(cells);
    }

    // getServiceExternalIP with wide=true (the API server always prints wide, so nothing is clipped).
    private static string ExternalIP(V1Service service)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var externalIPs = spec.ExternalIPs ?? [];
        switch (spec.Type)
        {
            case "ClusterIP":
            case "NodePort":
                return externalIPs.Count > 0 ? string.Join(",", externalIPs) : "<none>";
            case "LoadBalancer":
                var lbIps = LoadBalancerStatusString(service.Status?.LoadBalancer);
                if (externalIPs.Count > 0)
                {
                    var results = new List<string>();
                    if (lbIps.Length > 0)
                    {
                        results.AddRange(lbIps.Split(','));
                    }

                    results.AddRange(externalIPs);
                    return string.Join(",", results);
                }

                return lbIps.Length > 0 ? lbIps : "<pending>";
            case "ExternalName":
                return spec.ExternalName ?? string.Empty;
            default:
                return "<unknown>";
        }
    }

    // loadBalancerStatusStringer: distinct, sorted IPs (or hostnames).
    private static string LoadBalancerStatusString(V1LoadBalancerStatus? status) =>
        string.Join(",", (status?.Ingress ?? [])
            .Select(i => !string.IsNullOrEmpty(i.Ip) ? i.Ip : i.Hostname)
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));

    private static string MakePortString(IList<V1ServicePort>? ports) =>
        string.Join(",", (ports ?? []).Select(p =>
        {
            // The API server defaults protocol to TCP; an undefaulted port prints as a real cluster would.
            var protocol = p.Protocol ?? "TCP";
            return p.NodePort is > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{p.Port}:{p.NodePort}/{protocol}")
                : string.Create(CultureInfo.InvariantCulture, $"{p.Port}/{protocol}");
        }));
}
