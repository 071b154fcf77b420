using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>Base of the printers of one model type: checks the item's type once.</summary>
internal abstract class TablePrinter<T> : ITablePrinter
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public abstract IReadOnlyList<TableColumnDefinition> Columns { get; }

    public TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now) =>
        item is T typed
            ? Print(typed, now)
            : throw new ArgumentException($"Expected a {typeof(T).Name}, got {item.GetType().Name}.", nameof(item));

    protected abstract TableRow Print(T item, DateTimeOffset now);
}
