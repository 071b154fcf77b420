using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// Columns and cells of one kind, as a print handler of Kubernetes' <c>pkg/printers/internalversion</c>.
/// Cells are always computed as the API server does (<c>GenerateOptions{Wide: true}</c>): every column,
/// including priority 1, which kubectl hides unless <c>-o wide</c>.
/// </summary>
internal interface ITablePrinter
{
    IReadOnlyList<TableColumnDefinition> Columns { get; }

    TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now);
}
