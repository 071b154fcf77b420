using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get nodes</c>: a port of <c>printNode</c> and <c>findNodeRoles</c>.</summary>
internal sealed class NodeTablePrinter : TablePrinter<V1Node>
{
    private const string LabelNodeRolePrefix = "node-role.kubernetes.io/";
    private const string NodeLabelRole = "kubernetes.io/role";

    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Status", ColumnDescriptions.NodeStatus),
        TableColumnDefinition.String("Roles", ColumnDescriptions.NodeRoles),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Version", ColumnDescriptions.NodeKubeletVersion),
        TableColumnDefinition.String("Internal-IP", ColumnDescriptions.NodeAddresses, 1),
        TableColumnDefinition.String("External-IP", ColumnDescriptions.NodeAddresses, 1),
        TableColumnDefinition.String("OS-Image", ColumnDescriptions.NodeOSImage, 1),
        TableColumnDefinition.String("Kernel-Version", ColumnDescriptions.NodeKernelVersion, 1),
        TableColumnDefinition.String("Container-Runtime", ColumnDescriptions.NodeContainerRuntimeVersion, 1),
    ];

    protected override TableRow Print(V1Node node, DateTimeOffset now)
    {
        var status = new List<string>();
        var ready = node.Status?.Conditions?.LastOrDefault(c => c.Type == "Ready");
        if (ready is not null)
        {
            status.Add(ready.Status == "True" ? "Ready" : "NotReady");
        }
        else
        {
            status.Add("Unknown");
        }

        if (node.Spec?.Unschedulable == true)
        {
            status.Add("SchedulingDisabled");
        }

        var roles = string.Join(",", FindNodeRoles(node.Metadata?.Labels));
        var info = node.Status?.NodeInfo;

        object[] cells =
        [
            node.Metadata?.Name ?? string.Empty,
            string.Join(",", status),
            roles.Length == 0 ? "<none>" : roles,
            HumanDuration.Since(node.Metadata?.CreationTimestamp, now),
            info?.KubeletVersion ?? string.Empty,
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion),
        ];
        return new TableRow(cells);
    }

    private static IEnumerable<string> FindNodeRoles(IDictionary<string, string>? labels)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(LabelNodeRolePrefix, StringComparison.Ordinal))
            {
                var role = key[LabelNodeRolePrefix.Length..];
                if (role.Length > 0)
                {
                    roles.Add(role);
                }
            }
            else if (key == NodeLabelRole && !string.IsNullOrEmpty(value))
            {
                roles.Add(value);
            }
        }

        return roles;
    }

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address ?? "<none>";

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
