namespace Berth.Core.Tables;

/// <summary>
/// One <c>columnDefinitions</c> entry of a <c>meta.k8s.io/v1</c> Table. <see cref="Priority"/> 0 columns are
/// always printed; higher ones only with <c>kubectl get -o wide</c>.
/// </summary>
public sealed record TableColumnDefinition(string Name, string Type, string Format, string Description, int Priority)
{
    internal static TableColumnDefinition NameColumn { get; } = new("Name", "string", "name", ColumnDescriptions.Name, 0);

    internal static TableColumnDefinition AgeColumn { get; } = new("Age", "string", string.Empty, ColumnDescriptions.CreationTimestamp, 0);

    internal static TableColumnDefinition String(string name, string description, int priority = 0) =>
        new(name, "string", string.Empty, description, priority);

    internal static TableColumnDefinition Integer(string name, string description, int priority = 0) =>
        new(name, "integer", string.Empty, description, priority);
}
