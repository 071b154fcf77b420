using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get endpoints</c>: a port of <c>printEndpoints</c> and <c>formatEndpoints</c>.</summary>
internal sealed class EndpointsTablePrinter : TablePrinter<V1Endpoints>
{
    private const int Max = 3;

    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Endpoints", ColumnDescriptions.EndpointsSubsets),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1Endpoints endpoints, DateTimeOffset now)
    {
        object[] cells =
        [
            endpoints.Metadata?.Name ?? string.Empty,
            FormatEndpoints(endpoints.Subsets),
            HumanDuration.Since(endpoints.Metadata?.CreationTimestamp, now),
        ];
        return new TableRow(cells);
    }

    // The first three ip:port pairs, then " + N more..."; N counts every address×port pair.
    private static string FormatEndpoints(IList<V1EndpointSubset>? subsets)
    {
        if (subsets is null || subsets.Count == 0)
        {
            return "<none>";
        }

        var list = new List<string>();
        var more = false;
        var count = 0;
        foreach (var subset in subsets)
        {
            var addresses = subset.Addresses ?? [];
            if (subset.Ports is not { Count: > 0 } ports)
            {
                // It's possible to have headless services with no ports.
                count += addresses.Count;
                foreach (var address in addresses)
                {
                    if (list.Count == Max)
                    {
                        more = true;
                        break;
                    }

                    list.Add(address.Ip);
                }

                continue;
            }

            foreach (var port in ports)
            {
                count += addresses.Count;
                foreach (var address in addresses)
                {
                    if (list.Count == Max)
                    {
                        more = true;
                        break;
                    }

                    list.Add(TableFormat.JoinHostPort(address.Ip ?? string.Empty, port.Port));
                }
            }
        }

        var ret = string.Join(",", list);
        return more ? ret + " + " + TableFormat.Int(count - Max) + " more..." : ret;
    }
}
