using Berth.Core.Strategies;
using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>The printer of a registration served in another version: the stored version's, on the converted object (as Kubernetes prints the internal version).</summary>
internal sealed class ConvertedTablePrinter(ITablePrinter inner, ConvertedStrategy conversion) : ITablePrinter
{
    public IReadOnlyList<TableColumnDefinition> Columns => inner.Columns;

    public TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now) => inner.Print(conversion.ToStorage(item), now);
}
