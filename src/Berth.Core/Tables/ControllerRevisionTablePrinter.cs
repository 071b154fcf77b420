using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// <c>kubectl get controllerrevisions</c>: a port of <c>printControllerRevision</c>; CONTROLLER is
/// <c>kind.group/name</c> of the controller owner reference (<c>statefulset.apps/web</c>), or &lt;none&gt;.
/// </summary>
internal sealed class ControllerRevisionTablePrinter : TablePrinter<V1ControllerRevision>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Controller", ColumnDescriptions.ControllerOfObject),
        TableColumnDefinition.String("Revision", ColumnDescriptions.ControllerRevisionRevision),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1ControllerRevision revision, DateTimeOffset now)
    {
        var owner = revision.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        var controller = "<none>";
        if (owner is not null)
        {
            var slash = owner.ApiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            var group = slash > 0 ? owner.ApiVersion![..slash] : string.Empty;
            var kind = group.Length == 0 ? owner.Kind : owner.Kind + "." + group;
            controller = kind.ToLowerInvariant() + "/" + owner.Name;
        }

        object[] cells =
        [
            revision.Metadata?.Name ?? string.Empty,
            controller,
            revision.Revision ?? 0,
            HumanDuration.Since(revision.Metadata?.CreationTimestamp, now),
        ];
        return new TableRow(cells);
    }
}
