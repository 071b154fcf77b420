using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get endpointslices</c>: a port of <c>printEndpointSlice</c>.</summary>
internal sealed class EndpointSliceTablePrinter : TablePrinter<V1EndpointSlice>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("AddressType", ColumnDescriptions.EndpointSliceAddressType),
        TableColumnDefinition.String("Ports", ColumnDescriptions.EndpointSlicePorts),
        TableColumnDefinition.String("Endpoints", ColumnDescriptions.EndpointSliceEndpoints),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1EndpointSlice slice, DateTimeOffset now)
    {
        // formatDiscoveryPorts: the port number, else its name, else "*".
        var ports = (slice.Ports ?? [])
            .Select(p => p.Port is { } port ? TableFormat.Int(port) : p.Name ?? "*")
            .ToList();
        var addresses = (slice.Endpoints ?? []).SelectMany(e => e.Addresses ?? []).ToList();

        object[] cells =
        [
            slice.Metadata?.Name ?? string.Empty,
            slice.AddressType ?? string.Empty,
            TableFormat.ListWithMore(ports),
            TableFormat.ListWithMore(addresses),
            HumanDuration.Since(slice.Metadata?.CreationTimestamp, now),
        ];
        return new TableRow(cells);
    }
}
