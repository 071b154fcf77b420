using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// <c>kubectl get rolebindings|clusterrolebindings</c>: a port of <c>printRoleBinding</c> and
/// <c>printClusterRoleBinding</c> (ROLE is Kind/name; wide adds users, groups and service accounts as namespace/name,
/// as <c>rbac.SubjectsStrings</c> lists them).
/// </summary>
internal sealed class RoleBindingTablePrinter : ITablePrinter
{
    private RoleBindingTablePrinter(string roleRefDescription) =>
        Columns =
        [
            TableColumnDefinition.NameColumn,
            TableColumnDefinition.String("Role", roleRefDescription),
            TableColumnDefinition.AgeColumn,
            TableColumnDefinition.String("Users", "Users in the roleBinding", 1),
            TableColumnDefinition.String("Groups", "Groups in the roleBinding", 1),
            TableColumnDefinition.String("ServiceAccounts", "ServiceAccounts in the roleBinding", 1),
        ];

    public static RoleBindingTablePrinter RoleBindings { get; } = new(ColumnDescriptions.RoleBindingRoleRef);

    public static RoleBindingTablePrinter ClusterRoleBindings { get; } = new(ColumnDescriptions.ClusterRoleBindingRoleRef);

    public IReadOnlyList<TableColumnDefinition> Columns { get; }

    public TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now)
    {
        var (roleRef, subjects) = item switch
        {
            V1RoleBinding b => (b.RoleRef, b.Subjects),
            V1ClusterRoleBinding b => (b.RoleRef, b.Subjects),
            _ => throw new ArgumentException($"Expected a role binding, got {item.GetType().Name}.", nameof(item)),
        };
        subjects ??= [];
        return new TableRow(
        [
            item.Metadata?.Name ?? string.Empty,
            $"{roleRef?.Kind}/{roleRef?.Name}",
            HumanDuration.Since(item.Metadata?.CreationTimestamp, now),
            string.Join(", ", subjects.Where(s => s?.Kind == "User").Select(s => s.Name)),
            string.Join(", ", subjects.Where(s => s?.Kind == "Group").Select(s => s.Name)),
            string.Join(", ", subjects.Where(s => s?.Kind == "ServiceAccount").Select(s => s.NamespaceProperty + "/" + s.Name)),
        ]);
    }
}
